// Users at 1.1 (1.0 is frozen in versions/1.0.json and still served): the name became fullName, age a number,
// and two fields are new: country (1.0's rows get 'nl') and email (Nullable: 1.0's rows have none)
record User(@Key String id, @RenamedFrom("name") String fullName, short age, @Default("'nl'") String country,
            Optional<String> email) {}

new IngestPipeline<>("Users", User.class).orderBy("id");
