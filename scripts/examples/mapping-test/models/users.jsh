// version 1.1: name renamed to fullName (at most 8 characters, see the mapping file), age a number, legacy kept as
// a byte-sized level, country new with a default
record Users(@Key String id, @RenamedFrom("name") String fullName, short age, byte level,
             @Default("'nl'") String country) {}
new OlapTable<>("Users", Users.class);
