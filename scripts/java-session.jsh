# Java at the prompt, as a script: ./shell --project scripts/examples/java-session --run scripts/java-session.jsh
# One shell command or Java snippet per line (# comments); the Java runs in the models' JShell session, where
# dcm.api.Dcm reaches this shell (`help java`). The project has Users 1.1 (models/users.jsh) and 1.0 (frozen).
apply --yes
sync start
# records of the latest version go to its topic; rows of 1.0 (which has no record type) are maps
Dcm.send(new User("u1", "Ann Lee", (short) 41, "de", Optional.of("ann@example.com")), new User("u2", "Bo Berg", (short) 7, "nl", Optional.empty()))
Dcm.send("Users@1.0", List.of(Dcm.row("id", "o1", "name", "Old Timer", "age", "67")))
sync wait
# the table as records: 1.0's row arrived through the migration view (name -> fullName, age as a number, country 'nl')
List<User> users = Dcm.rows(User.class)
Dcm.rows(User.class, "age > 40", 10).stream().map(User::fullName).toList()
Dcm.rows("Users@1.0")
# samples of the old version through the mapping 1.0 -> 1.1, in ClickHouse, without touching the tables
Dcm.columns("Users@1.0")
List<User> mapped = Dcm.map("Users", "1.0", List.of(Dcm.row("id", "s1", "name", "Sam", "age", "12")))
# an invalid value is refused with its record and field; nothing is sent
String refused = ""
try { Dcm.send("Users@1.0", List.of(Dcm.row("id", "bad", "name", "X", "age", "70000"))); } catch (IllegalArgumentException e) { refused = e.getMessage(); }
refused
