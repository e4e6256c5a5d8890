package dcm.reliability;

/**
 * Identifiers that are no identifiers: SQL injection in model, field, ORDER BY, default and type text, quotes,
 * backticks, semicolons, comments and unicode, in model scripts and in commands. Each must be refused (or quoted)
 * with the name shown; the guard's {@code canary} table (what an injected DROP aims at) and every other table stay.
 */
final class BadIdentifiers extends BadInputs {
    private static final String DROP = "; DROP TABLE canary; --";

    BadIdentifiers(Suite suite) {
        super(suite);
    }

    @Override
    public String name() {
        return "identifiers";
    }

    @Override
    protected void add() {
        modelName("identifier: backtick and DROP in a model name", true, "X`" + DROP);
        modelName("identifier: quote in a model name", false, "a'b");
        modelName("identifier: semicolon in a model name", false, "a;b");
        modelName("identifier: comment in a model name", false, "a--b");
        modelName("identifier: unicode model name", true, "Ünïcødé");
        modelName("identifier: empty model name", false, "");
        modelName("identifier: 200-character model name", false, "M".repeat(200));
        script("identifier: DROP in @ClickHouseType", true, "record Bad(@Key String id, @ClickHouseType(\"String)"
                + " ENGINE = Memory" + DROP + "\") String s) {}\nnew OlapTable<>(\"Bad\", Bad.class);\n", "bad.jsh:1");
        script("identifier: DROP in @Default", true, "record Bad(@Key String id, @Default(\"'x')" + DROP
                + "\") String s) {}\nnew OlapTable<>(\"Bad\", Bad.class);\n", "bad.jsh:1");
        script("identifier: DROP in ORDER BY", false, "record Bad(@Key String id) {}\n"
                + "new OlapTable<>(\"Bad\", Bad.class).orderBy(\"id)" + DROP + "\");\n", "bad.jsh:2");
        script("identifier: backtick in PARTITION BY", false, "record Bad(@Key String id) {}\n"
                + "new OlapTable<>(\"Bad\", Bad.class).partitionBy(\"id`) " + DROP + "\");\n", "bad.jsh:2");
        script("identifier: DROP in @RenamedFrom", false, "record Bad(@Key String id, @RenamedFrom(\"old`" + DROP
                + "\") String s) {}\nnew OlapTable<>(\"Bad\", Bad.class);\n", "bad.jsh:", "former column name");
        script("identifier: DROP in a Mapping expression", false, "new Mapping(\"Ev\", \"1.0\", \"1.1\").set(\"n\","
                + " \"1)" + DROP + "\");\n", "bad.jsh:1");
        command("identifier: peek with backtick and DROP", true, "peek \"Ev_1_0`" + DROP + "\"", "DROP TABLE canary");
        command("identifier: ls of an injected model", false, "ls \"Ev'" + DROP + "\"", "no model", "DROP TABLE");
        command("identifier: sync pause of a bad ref", false, "sync pause \"Ev@1.0'--\"", "no running sync",
                "Ev@1.0'--");
        command("identifier: mapping of an unknown model", false, "mapping Ev`x", "Ev`x");
        command("identifier: adopt a name with a quote", false, "adopt \"can'ary\"", "can'ary", "nothing to adopt");
        command("identifier: bump to a malformed version", true, "bump \"1.x'" + DROP + "\" --yes", "is not a version");
        command("identifier: retire an unknown version", false, "retire 0.1 --yes", "0.1");
    }

    /** A model named {@code name} (a Java string literal, escaped) must be refused at bad.jsh:2, naming it. */
    private void modelName(String caseName, boolean inShort, String name) {
        String literal = name.replace("\\", "\\\\").replace("\"", "\\\"");
        script(caseName, inShort, "record Bad(@Key String id) {}\nnew OlapTable<>(\"" + literal + "\", Bad.class);\n",
                "bad.jsh:2");
    }

    private void script(String name, boolean inShort, String text, String... expected) {
        script(name, "identifier", inShort, text, expected);
    }

    private void command(String name, boolean inShort, String line, String... expected) {
        bad(name, "identifier", inShort, () -> replFails(line), expected);
    }
}
