package dcm.reliability;

import java.nio.charset.StandardCharsets;

/**
 * Broken model scripts: each written as {@code models/bad.jsh} next to the guard's model, then {@code plan} at the
 * prompt; the error must name {@code bad.jsh} and the line, and nothing may be planned away.
 */
final class BadModelInputs extends BadInputs {
    BadModelInputs(Suite suite) {
        super(suite);
    }

    @Override
    public String name() {
        return "model scripts";
    }

    @Override
    protected void add() {
        script("model: syntax error", true, "record Bad(@Key String id {}\n", "bad.jsh:1");
        script("model: unknown Java type", false, "record Bad(@Key String id, Foo x) {}\n"
                + "new OlapTable<>(\"Bad\", Bad.class);\n", "bad.jsh:1", "Foo");
        script("model: record without fields", false, "record Bad() {}\nnew OlapTable<>(\"Bad\", Bad.class);\n",
                "bad.jsh:2");
        script("model: ORDER BY unknown column", true, "record Bad(@Key String id) {}\n"
                + "new OlapTable<>(\"Bad\", Bad.class).orderBy(\"nope\");\n", "bad.jsh:2", "nope");
        script("model: unknown @ClickHouseType", false, "record Bad(@Key String id, @ClickHouseType(\"Strng\") String s)"
                + " {}\nnew OlapTable<>(\"Bad\", Bad.class);\n", "bad.jsh:1", "Strng");
        script("model: @Default not SQL", false, "record Bad(@Key String id, @Default(\"1 +\") int n) {}\n"
                + "new OlapTable<>(\"Bad\", Bad.class);\n", "bad.jsh:1", "1 +");
        script("model: PARTITION BY unknown column", false, "record Bad(@Key String id) {}\n"
                + "new OlapTable<>(\"Bad\", Bad.class).partitionBy(\"toYYYYMM(nope)\");\n", "bad.jsh:2", "nope");
        script("model: engine outside MergeTree", false, "record Bad(@Key String id) {}\n"
                + "new OlapTable<>(\"Bad\", Bad.class).engine(\"Log\");\n", "bad.jsh:2", "Log");
        script("model: second definition of Ev", true, "record Ev2(@Key String id) {}\n"
                + "new OlapTable<>(\"Ev\", Ev2.class);\n", "bad.jsh:2", "Ev");
        script("model: exception thrown by the script", false, "record Bad(@Key String id) {}\n"
                + "int boom = 1 / 0;\n", "bad.jsh:2", "ArithmeticException");
        script("model: field type with no column type", false, "record Bad(@Key String id, Thread t) {}\n"
                + "new OlapTable<>(\"Bad\", Bad.class);\n", "bad.jsh:", "Thread");
        bad("model: Mapping to an unknown version", "model", false, () -> {
            guard.project().write("models/bad.jsh", "new Mapping(\"Ev\", \"1.0\", \"9.9\");\n");
            try {
                // a mapping of no step is not an error of the load: `mapping` must name it, not pass it over
                return guard.repl().exec("mapping Ev").text();
            } finally {
                guard.project().delete("models/bad.jsh");
            }
        }, "bad.jsh:1", "9.9");
        bad("model: invalid UTF-8 in a script", "model", false, () -> {
            byte[] head = "record Bad(@Key String id) {}\nnew OlapTable<>(\"Bad\", Bad.class).orderBy(\"".getBytes(
                    StandardCharsets.UTF_8);
            byte[] all = new byte[head.length + 6];
            System.arraycopy(head, 0, all, 0, head.length);
            all[head.length] = (byte) 0xff;
            all[head.length + 1] = (byte) 0xfe;
            System.arraycopy("\");\n".getBytes(StandardCharsets.UTF_8), 0, all, head.length + 2, 4);
            guard.project().write("models/bad.jsh", all);
            try {
                return replFails("plan");
            } finally {
                guard.project().delete("models/bad.jsh");
            }
        }, "bad.jsh:2", "not UTF-8", "save the file as UTF-8");
        bad("model: apply refused while a file is broken", "model", true, () -> {
            guard.project().write("models/bad.jsh", "record Bad(@Key String id {}\n");
            guard.project().delete("models/ev.jsh");
            try {
                // the guard's own model is gone and another file is broken: apply must drop nothing, whatever flags
                return replFails("apply --yes --allow-destructive");
            } finally {
                guard.project().write("models/ev.jsh", Guard.MODEL);
                guard.project().delete("models/bad.jsh");
            }
        }, "bad.jsh:1");
    }

    private void script(String name, boolean inShort, String text, String... expected) {
        script(name, "model", inShort, text, expected);
    }
}
