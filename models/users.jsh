// Users: a table of people, never dropped by a migration.
record User(@Key String id, String name, String email, int age,
            @ClickHouseType("LowCardinality(String)") String country, Instant createdAt) {}

new OlapTable<>("Users", User.class)
        .orderBy("id")
        .lifeCycle(LifeCycle.DELETION_PROTECTED);
