package dcm.api;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live shell from Java: at the prompt and in scripts ({@code ./shell --run x.jsh}) a model's rows come back as
 * its records, records go to a version's topic as {@code ingest} sends them, and samples of an old version go
 * through the mapping to a later one. Every method works on the shell that runs the JShell session (it installs
 * itself when it starts and removes itself when it closes); outside a shell each throws {@link IllegalStateException}.
 *
 * <pre>
 * List&lt;User&gt; users = Dcm.rows(User.class);                         // the latest table, as records
 * List&lt;User&gt; some = Dcm.rows(User.class, "age &gt; 40", 10);            // a WHERE condition and a LIMIT
 * List&lt;Map&lt;String, Object&gt;&gt; old = Dcm.rows("Users@1.0");               // any version's table, as maps
 * Dcm.send(new User("u1", "Ann", 41));                              // to the latest version's topic
 * Dcm.send("Users@1.0", List.of(Dcm.row("id", "u2", "name", "Bob")));   // to an old version's topic
 * List&lt;User&gt; mapped = Dcm.map("Users", "1.0", List.of(Dcm.row("id", "u3", "name", "Cy", "age", 30)));
 * </pre>
 *
 * <p>Values convert as {@code help types} maps Java to ClickHouse, the other way round: Int64 to {@code long},
 * DateTime to {@link java.time.Instant} (or {@link java.time.LocalDateTime} in UTC), Nullable to {@code Optional} or
 * null, Array to {@code List}, Enum8 to the record's enum. A value that does not convert is an error naming its row
 * and column.
 */
public final class Dcm {
    /** What the running shell provides: the implementation behind the static methods. */
    public interface Backend {
        /** Rows of the model version {@code ref} ({@code Users} or {@code Users@1.0}); {@code type} null: maps. */
        List<?> rows(String ref, Class<?> type, String where, int limit);

        /** Validates every record against the version's schema and sends them all in one transaction. */
        int send(String ref, List<?> records);

        /** Runs the mapping from {@code from} to {@code to} over the samples; records when a type fits, else maps. */
        List<?> map(String model, String from, String to, List<?> samples);

        /** The columns of a model version, name to ClickHouse type. */
        Map<String, String> columns(String ref);
    }

    /** Rows a call returns unless told otherwise. */
    public static final int DEFAULT_LIMIT = 1000;
    private static volatile Backend backend;

    private Dcm() {}

    /** Installs the shell behind the static methods (a shell does, when it starts). */
    public static void install(Backend b) {
        backend = b;
    }

    /** Removes {@code b} if it is the one installed (a shell does, when it closes); another stays. */
    public static synchronized void uninstall(Backend b) {
        if (backend == b) {
            backend = null;
        }
    }

    private static Backend backend() {
        Backend b = backend;
        if (b == null) {
            throw new IllegalStateException("no shell is running: dcm.api.Dcm works at the shell's prompt and in"
                    + " scripts run by `./shell --run`");
        }
        return b;
    }

    /** The first {@value #DEFAULT_LIMIT} rows of the latest table of the model whose record is {@code type}. */
    public static <T> List<T> rows(Class<T> type) {
        return rows(type, "", DEFAULT_LIMIT);
    }

    /**
     * Rows of the latest table of the model whose record is {@code type}, in the table's ORDER BY: those matching
     * {@code where} (a SQL condition over the columns; blank: all), at most {@code limit}.
     */
    @SuppressWarnings("unchecked")
    public static <T> List<T> rows(Class<T> type, String where, int limit) {
        return (List<T>) backend().rows(null, type, where, limit);
    }

    /**
     * Rows of a model version's table ({@code "Users"}: the latest, {@code "Users@1.0"}: that version) as records
     * of {@code type}, whose components must be columns of that version (by name).
     */
    @SuppressWarnings("unchecked")
    public static <T> List<T> rows(String ref, Class<T> type, String where, int limit) {
        return (List<T>) backend().rows(ref, type, where, limit);
    }

    /** The first {@value #DEFAULT_LIMIT} rows of a model version's table as maps, column to value. */
    public static List<Map<String, Object>> rows(String ref) {
        return rows(ref, "", DEFAULT_LIMIT);
    }

    /** Rows of a model version's table as maps (column to value) matching {@code where}, at most {@code limit}. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> rows(String ref, String where, int limit) {
        return (List<Map<String, Object>>) backend().rows(ref, null, where, limit);
    }

    /**
     * Sends records of a model's record type to its latest version's topic, as {@code ingest} does: each is
     * validated first; one invalid record refuses them all ({@link IllegalArgumentException} naming each record,
     * field and reason) and nothing is sent. Returns how many were sent (committed). The sync lands them.
     */
    public static int send(Record... records) {
        return send(Arrays.asList(records));
    }

    /** Like {@link #send(Record...)}, for a list of records of one model. */
    public static int send(List<? extends Record> records) {
        return backend().send(null, records);
    }

    /**
     * Sends records to a model version's topic ({@code "Users@1.0"}): records, or maps (column to value, see
     * {@link #row}) for an old version, which has no record type. Validated against that version's schema, with
     * the conversions later versions make of its values.
     */
    public static int send(String ref, List<?> records) {
        return backend().send(ref, records);
    }

    /** A row for {@link #send(String, List)} or {@link #map}: {@code row("id", "u1", "age", 41)}, in that order. */
    public static Map<String, Object> row(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("row(...) takes names and values in pairs; got "
                    + namesAndValues.length + " arguments");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String name)) {
                throw new IllegalArgumentException("row(...): argument " + (i + 1) + " must be a column name, got "
                        + namesAndValues[i]);
            }
            out.put(name, namesAndValues[i + 1]);
        }
        return out;
    }

    /** The columns of a model version ({@code "Users@1.0"}), name to ClickHouse type: what its rows hold. */
    public static Map<String, String> columns(String ref) {
        return backend().columns(ref);
    }

    /**
     * Runs the mapping of {@code model} from version {@code from} to the latest version over {@code samples}
     * (maps or records of {@code from}'s columns) in ClickHouse, as the migration views do, and returns the mapped
     * rows as records of the latest model's record type. Nothing is written to the model's tables.
     */
    public static <T> List<T> map(String model, String from, List<?> samples) {
        return map(model, from, null, samples);
    }

    /**
     * Like {@link #map(String, String, List)} to version {@code to} (null: the latest): records of the model's
     * record type when {@code to} is the latest version, else maps (column to value).
     */
    @SuppressWarnings("unchecked")
    public static <T> List<T> map(String model, String from, String to, List<?> samples) {
        return (List<T>) backend().map(model, from, to, samples);
    }
}
