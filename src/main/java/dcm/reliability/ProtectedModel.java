package dcm.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The model {@code P} (DELETION_PROTECTED, rows in it) that {@link ProtectedChanges} edits at random, and what a
 * column of the first table is called now (a rename with {@code @RenamedFrom} moves its data to the new name).
 */
final class ProtectedModel {
    static final String Q = "record Q(@Key String id, long v) {}\n"
            + "new OlapTable<>(\"Q\", Q.class).lifeCycle(LifeCycle.DELETION_PROTECTED);\n";

    /** Field name -> Java type, in order; id is the key and never edited. */
    private final Map<String, String> fields = new LinkedHashMap<>();
    /** Field name -> the column it was renamed from (this round only: the annotation is dropped once applied). */
    private final Map<String, String> renamedFrom = new LinkedHashMap<>();
    /** Original column -> the column that holds its data now. */
    private final Map<String, String> original = new LinkedHashMap<>();
    private String orderBy = "\"id\"";
    private boolean qDropped;
    private int added;

    ProtectedModel() {
        fields.put("id", "String");
        fields.put("a", "String");
        fields.put("b", "int");
        fields.put("c", "int");
        fields.put("d", "String");
        fields.keySet().forEach(f -> original.put(f, f));
    }

    boolean qDropped() {
        return qDropped;
    }

    /** The columns the first table's data must still be in. */
    List<String> originalColumns() {
        return List.copyOf(original.values());
    }

    /** The column that holds the data of the first table's column {@code name} now. */
    String column(String name) {
        return original.get(name);
    }

    /** The model file as it is now. */
    String render() {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            String ann = f.getKey().equals("id") ? "@Key " : renamedFrom.containsKey(f.getKey())
                    ? "@RenamedFrom(\"" + renamedFrom.get(f.getKey()) + "\") " : "";
            parts.add(ann + f.getValue() + " " + f.getKey());
        }
        return "record P(" + String.join(", ", parts) + ") {}\n"
                + "new OlapTable<>(\"P\", P.class).orderBy(" + orderBy + ").lifeCycle(LifeCycle.DELETION_PROTECTED);\n";
    }

    /** Makes {@code n} random edits; returns what they were. */
    List<String> edit(Random random, int n) {
        renamedFrom.clear();
        List<String> done = new ArrayList<>();
        while (done.size() < n) {
            String e = one(random);
            if (e != null) {
                done.add(e);
            }
        }
        return done;
    }

    private String one(Random random) {
        List<String> others = fields.keySet().stream().filter(f -> !f.equals("id")).toList();
        String f = others.isEmpty() ? null : others.get(random.nextInt(others.size()));
        switch (random.nextInt(7)) {
            case 0 -> {
                if (f == null || others.size() < 2 || orderBy.contains("\"" + f + "\"")) {
                    return null;
                }
                fields.remove(f);
                return "drop field " + f;
            }
            case 1 -> {
                if (f == null || orderBy.contains("\"" + f + "\"")) {
                    return null;
                }
                // no annotation: a drop and an add, which the protected table turns into an add only
                String to = f + "x";
                fields.put(to, fields.remove(f));
                return "rename " + f + " -> " + to + " (no @RenamedFrom)";
            }
            case 2 -> {
                if (f == null || orderBy.contains("\"" + f + "\"")) {
                    return null;
                }
                String to = f + "r";
                fields.put(to, fields.remove(f));
                renamedFrom.put(to, f);
                original.replaceAll((k, v) -> v.equals(f) ? to : v);
                return "rename " + f + " -> " + to + " (@RenamedFrom)";
            }
            case 3 -> {
                if (f == null || !fields.get(f).equals("int")) {
                    return null;
                }
                fields.put(f, "long");
                return "widen " + f + " int -> long";
            }
            case 4 -> {
                if (qDropped) {
                    return null;
                }
                qDropped = true;
                return "drop model Q";
            }
            case 5 -> {
                List<String> strings = others.stream().filter(o -> fields.get(o).equals("String")).toList();
                if (strings.isEmpty() || !orderBy.equals("\"id\"")) {
                    orderBy = "\"id\"";
                    return "ORDER BY id";
                }
                String k = strings.get(random.nextInt(strings.size()));
                orderBy = "\"id\", \"" + k + "\"";
                return "ORDER BY id, " + k;
            }
            default -> {
                String name = "e" + (++added);
                fields.put(name, "String");
                return "add field " + name;
            }
        }
    }
}
