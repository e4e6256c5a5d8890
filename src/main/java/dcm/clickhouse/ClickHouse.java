package dcm.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.command.CommandSettings;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.config.ClickHouseConfig;
import dcm.core.Dialect;
import dcm.core.Sql;
import dcm.core.Rows;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ClickHouse adapter, over the official client-v2 with server-response compression off (18.16 answers empty
 * bodies otherwise). Every row-returning statement carries an explicit {@code FORMAT} clause, because 18.16 ignores
 * the format given as a request setting.
 */
public final class ClickHouse implements AutoCloseable {
    private static final int COPY_BUFFER = 256 * 1024;
    private static final Pattern CODE = Pattern.compile("Code: (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ClickHouseConfig config;
    private final Client client;
    private volatile Dialect dialect;

    public ClickHouse(ClickHouseConfig config) {
        this(config, null, java.util.Map.of());
    }

    /**
     * A client that names itself {@code clientName} in its requests' user agent (when not null) and sends
     * {@code serverSettings} with every request: the benchmarks log their queries ({@code log_queries=1}) under a
     * name per measurement, to read the server's CPU per query from {@code system.query_log}.
     */
    public ClickHouse(ClickHouseConfig config, String clientName, java.util.Map<String, String> serverSettings) {
        this.config = config;
        Client.Builder b = new Client.Builder()
                .addEndpoint(config.endpoint())
                .setUsername(config.user())
                .setPassword(config.password() == null ? "" : config.password())
                .compressServerResponse(false)
                .compressClientRequest(false)
                .setConnectTimeout(2, ChronoUnit.SECONDS)
                .setSocketTimeout(10, ChronoUnit.MINUTES);
        if (clientName != null) {
            b.setClientName(clientName);
        }
        serverSettings.forEach(b::serverSetting);
        this.client = b.build();
    }

    /** The configured database. */
    public String database() {
        return config.dbName();
    }

    /** Where DDL runs: the configured cluster ({@code ON CLUSTER}, replicated tables), or one server. */
    public dcm.core.Cluster cluster() {
        return dcm.core.Cluster.of(config.cluster());
    }

    /** The configuration this client was made with. */
    public ClickHouseConfig config() {
        return config;
    }

    /** The configured endpoint, for messages. */
    public String endpoint() {
        return config.endpoint();
    }

    /** The server's version string, e.g. {@code 18.16.1}. */
    public String version() {
        return scalar("SELECT version() FORMAT TabSeparated");
    }

    /** The server's dialect (read once). */
    public Dialect dialect() {
        Dialect d = dialect;
        if (d == null) {
            d = new Dialect(version());
            dialect = d;
        }
        return d;
    }

    private volatile Boolean viewsCascade;

    /**
     * Whether rows a materialized view writes into its target fire the target's own materialized views (18.16: no;
     * current servers: yes): measured once per connection ({@link ViewCascade}).
     */
    public boolean viewsCascade() {
        Boolean c = viewsCascade;
        if (c == null) {
            c = ViewCascade.measure(this);
            viewsCascade = c;
        }
        return c;
    }

    /** True when the server answers {@code SELECT 1} within a short timeout. */
    public boolean answers() {
        return probe().isEmpty();
    }

    /**
     * Asks {@code SELECT 1}: empty when the server answers, else why not (a refused connection, or an answer that
     * refuses, such as a wrong password: then starting another server would not help).
     */
    public java.util.Optional<ClickHouseException> probe() {
        try {
            String one = scalar("SELECT 1 FORMAT TabSeparated");
            return "1".equals(one) ? java.util.Optional.empty() : java.util.Optional.of(new ClickHouseException(0,
                    "unexpected answer to SELECT 1: " + one, null));
        } catch (ClickHouseException e) {
            return java.util.Optional.of(e);
        }
    }

    /** The first line of a {@code FORMAT TabSeparated} result. */
    public String scalar(String sql) {
        String body = text(sql, false);
        int nl = body.indexOf('\n');
        return nl < 0 ? body : body.substring(0, nl);
    }

    /** The raw response text of a query that carries its own FORMAT clause. */
    public String text(String sql, boolean inDatabase) {
        return text(sql, settings(inDatabase));
    }

    /**
     * Like {@link #text}, run with the server setting {@code readonly=2}: ClickHouse refuses any statement that
     * would write data or change a table, database or the readonly setting itself (code 164), while the settings
     * this client sends still apply. For checks that must change nothing.
     */
    public String readOnlyText(String sql) {
        QuerySettings s = settings(false);
        s.serverSetting("readonly", "2");
        return text(sql, s);
    }

    /** Like {@link #text(String, boolean)}, stopped by the server after {@code limitSeconds} (0: no limit). */
    public String text(String sql, boolean inDatabase, int limitSeconds) {
        return text(sql, limited(settings(inDatabase), limitSeconds), limitSeconds);
    }

    private String text(String sql, QuerySettings settings) {
        return text(sql, settings, 0);
    }

    private String text(String sql, QuerySettings settings, int limitSeconds) {
        String id = track(settings);
        long wait = waitSeconds(limitSeconds);
        try (QueryResponse r = client.query(sql, settings).get(wait, TimeUnit.SECONDS);
             InputStream in = r.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw stopped(e, id, sql, wait);
        } finally {
            running.remove(id);
        }
    }

    /**
     * How long the client waits for a statement: a little past the server's own limit, or a day without one (a
     * long query at the prompt or a long copy is not cut by the client; Ctrl-C cancels it).
     */
    private static long waitSeconds(int limitSeconds) {
        return limitSeconds > 0 ? limitSeconds + 60L : 24 * 3600L;
    }

    /** An exception of a statement: when this client stopped waiting (time-out, interrupt), the server stops too. */
    private ClickHouseException stopped(Exception e, String id, String sql, long waited) {
        if (e instanceof java.util.concurrent.TimeoutException) {
            kill(id);
            return new ClickHouseException(0, "no answer from ClickHouse in " + waited + " s; the statement was"
                    + " cancelled", e);
        }
        if (e instanceof InterruptedException) {
            kill(id);
            Thread.currentThread().interrupt();
            return new ClickHouseException(394, "interrupted: the statement was cancelled on the server", e);
        }
        return wrap(e, sql);
    }

    /** The statements this client runs now and the thread that runs each, so that they can be cancelled. */
    private final java.util.Map<String, Thread> running = new java.util.concurrent.ConcurrentHashMap<>();

    private String track(QuerySettings settings) {
        String id = "dcm-" + java.util.UUID.randomUUID();
        settings.setQueryId(id);
        running.put(id, Thread.currentThread());
        return id;
    }

    private static QuerySettings limited(QuerySettings s, int limitSeconds) {
        if (limitSeconds > 0) {
            s.serverSetting("max_execution_time", Integer.toString(limitSeconds));
        }
        return s;
    }

    /**
     * Cancels on the server every statement this client runs now ({@code KILL QUERY}, not waiting for it to end):
     * Ctrl-C and the end of the shell never leave a query busy on ClickHouse. Returns how many were asked to stop.
     */
    public int cancelRunning() {
        List<String> ids = List.copyOf(running.keySet());
        ids.forEach(this::kill);
        return ids.size();
    }

    /**
     * Cancels on the server the statements that {@code thread} runs now through this client (Ctrl-C on a command),
     * leaving those of other threads (the background syncs) alone.
     */
    public int cancelRunning(Thread thread) {
        List<String> ids = running.entrySet().stream().filter(e -> e.getValue() == thread)
                .map(java.util.Map.Entry::getKey).toList();
        ids.forEach(this::kill);
        return ids.size();
    }

    private void kill(String id) {
        try (QueryResponse r = client.query("KILL QUERY WHERE query_id = " + dcm.core.Sql.str(id)
                + " ASYNC FORMAT TabSeparated", settings(false)).get(10, TimeUnit.SECONDS)) {
            r.getInputStream().readAllBytes();
        } catch (Exception e) {
            // the server is away or the query already ended: nothing left to cancel
        }
    }

    /**
     * Runs a SELECT-like statement and returns its rows; {@code sql} must not have a FORMAT clause (JSONCompact is
     * appended). With {@code inDatabase}, unqualified table names resolve in the configured database.
     */
    public Rows query(String sql, boolean inDatabase) {
        return query(sql, inDatabase, 0);
    }

    /** Like {@link #query(String, boolean)}, stopped by the server after {@code limitSeconds} (0: no limit). */
    public Rows query(String sql, boolean inDatabase, int limitSeconds) {
        String body = text(stripSemicolon(sql) + "\nFORMAT JSONCompact", inDatabase, limitSeconds);
        try {
            JsonNode root = JSON.readTree(body);
            List<String> names = new ArrayList<>();
            List<String> types = new ArrayList<>();
            root.path("meta").forEach(m -> {
                names.add(m.path("name").asText());
                types.add(m.path("type").asText());
            });
            List<List<Object>> rows = new ArrayList<>();
            for (JsonNode row : root.path("data")) {
                List<Object> values = new ArrayList<>();
                row.forEach(v -> values.add(plain(v)));
                rows.add(values);
            }
            return new Rows(names, types, rows);
        } catch (IOException e) {
            throw new ClickHouseException(0, "unreadable answer from ClickHouse: " + e.getMessage(), e);
        }
    }

    private static Object plain(JsonNode v) {
        if (v.isNull()) return null;
        if (v.isBoolean()) return v.booleanValue();
        if (v.isIntegralNumber()) return v.longValue();
        if (v.isNumber()) return v.doubleValue();
        if (v.isArray()) {
            List<Object> out = new ArrayList<>();
            v.forEach(x -> out.add(plain(x)));
            return out;
        }
        return v.asText();
    }

    /** The names of the tables and views in the configured database. */
    public java.util.Set<String> tableNames() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        query("SELECT name FROM system.tables WHERE database = " + dcm.core.Sql.str(config.dbName()), false).rows()
                .forEach(r -> out.add(String.valueOf(r.get(0))));
        return out;
    }

    /** True when the configured database has a table or view of this name. */
    public boolean tableExists(String name) {
        return "1".equals(String.valueOf(query("SELECT count() AS n FROM system.tables WHERE database = "
                + dcm.core.Sql.str(config.dbName()) + " AND name = " + dcm.core.Sql.str(name), false).get(0, "n")));
    }

    /** Runs a statement that returns no rows (DDL, INSERT ... SELECT). */
    public void execute(String sql) {
        execute(sql, false);
    }

    /** Runs a statement that returns no rows, optionally with the configured database as the default one. */
    public void execute(String sql, boolean inDatabase) {
        execute(sql, inDatabase, 0);
    }

    /** Like {@link #execute(String, boolean)}, stopped by the server after {@code limitSeconds} (0: no limit). */
    public void execute(String sql, boolean inDatabase, int limitSeconds) {
        CommandSettings settings = new CommandSettings();
        applyCommon(settings, inDatabase);
        limited(settings, limitSeconds);
        run(sql, settings, track(settings), waitSeconds(limitSeconds));
    }

    /**
     * Runs a statement under a query id of the caller's choosing, logged in {@code system.query_log}
     * ({@code log_queries=1}): after a crash, the log tells whether it finished.
     */
    public void executeLogged(String sql, String queryId) {
        CommandSettings settings = new CommandSettings();
        applyCommon(settings, false);
        settings.setQueryId(queryId);
        settings.serverSetting("log_queries", "1");
        running.put(queryId, Thread.currentThread());
        run(sql, settings, queryId, waitSeconds(0));
    }

    /** Runs a tracked statement (its id in {@code running}) and waits for it at most {@code wait} seconds. */
    private void run(String sql, CommandSettings settings, String id, long wait) {
        try {
            client.execute(stripSemicolon(sql), settings).get(wait, TimeUnit.SECONDS).close();
        } catch (Exception e) {
            throw stopped(e, id, sql, wait);
        } finally {
            running.remove(id);
        }
    }

    /** True when database {@code db} has a table of this name. */
    public boolean tableExists(String name, String db) {
        return "1".equals(String.valueOf(query("SELECT count() AS n FROM system.tables WHERE database = "
                + dcm.core.Sql.str(db) + " AND name = " + dcm.core.Sql.str(name), false).get(0, "n")));
    }

    /** Inserts JSONEachRow lines into a table of the configured database. */
    public void insertJsonEachRow(String table, byte[] jsonLines) {
        insertJsonEachRow(table, new ByteArrayInputStream(jsonLines));
    }

    /** Inserts JSON lines read from a stream (read once, to its end). */
    public void insertJsonEachRow(String table, java.io.InputStream jsonLines) {
        insert(table, List.of(), jsonLines, ClickHouseFormat.JSONEachRow, 0, null);
    }

    /**
     * Inserts {@code rows} JSON lines read from a stream as one block: ClickHouse stores a block, then pushes it to
     * the table's views, block by block, so an insert of one block either fails before storing anything (its data
     * does not parse) or stored all of its rows (a view that fails it then refused the whole block). The server's
     * block sizes are raised for this insert to hold them all ({@link OneBlock}).
     */
    public void insertJsonEachRow(String table, java.io.InputStream jsonLines, int rows) {
        insert(table, List.of(), jsonLines, ClickHouseFormat.JSONEachRow, rows, null);
    }

    /**
     * {@link #insertJsonEachRow(String, java.io.InputStream, int)} under a query id of the caller's choosing,
     * logged in {@code system.query_log}: after a crash, the log tells whether it stored its block.
     */
    public void insertJsonEachRow(String table, java.io.InputStream jsonLines, int rows, String queryId) {
        insert(table, List.of(), jsonLines, ClickHouseFormat.JSONEachRow, rows, queryId);
    }

    /**
     * Inserts TabSeparated rows of the given columns (the others take their defaults), read from a stream whose
     * first line names those columns in the same order. With the names line ClickHouse never guesses whether the
     * first row is a header (current servers do for plain TabSeparated: a row whose values equal the column names
     * would be dropped), and reads a value only under its own name.
     */
    public void insertTabSeparatedWithNames(String table, List<String> columns, java.io.InputStream tsv) {
        insertTabSeparatedWithNames(table, columns, tsv, 0);
    }

    /**
     * {@link #insertTabSeparatedWithNames(String, List, java.io.InputStream)} of {@code rows} rows as one block (see
     * {@link #insertJsonEachRow(String, java.io.InputStream, int)}).
     */
    public void insertTabSeparatedWithNames(String table, List<String> columns, java.io.InputStream tsv, int rows) {
        insertTabSeparatedWithNames(table, columns, tsv, rows, null);
    }

    /** The same under a query id of the caller's choosing (null: none), logged in {@code system.query_log}. */
    public void insertTabSeparatedWithNames(String table, List<String> columns, java.io.InputStream tsv, int rows,
                                            String queryId) {
        insert(table, columns.stream().map(dcm.core.Sql::id).toList(), tsv, ClickHouseFormat.TabSeparatedWithNames,
                rows, queryId);
    }

    private void insert(String table, List<String> quotedColumns, java.io.InputStream body, ClickHouseFormat format,
                        int rows, String queryId) {
        InsertSettings settings = new InsertSettings();
        if (queryId != null) {
            settings.setQueryId(queryId);
            settings.serverSetting("log_queries", "1");
        }
        settings.serverSetting("date_time_input_format", "best_effort");
        OneBlock.settings(rows).forEach(settings::serverSetting);
        if (cluster().replicated()) {
            // a replicated table drops a block equal to one of its last 100 by default: two batches of the same
            // rows are two batches here, as on a single server (the syncs keep exactly-once by their own log)
            settings.serverSetting("insert_deduplicate", "0");
        }
        // the body is copied into the request in pieces of this size (8 KiB by default: a write per piece)
        settings.setInputStreamCopyBufferSize(COPY_BUFFER);
        try {
            client.insert(dcm.core.Sql.table(config.dbName(), table), quotedColumns, body, format, settings)
                    .get(10, TimeUnit.MINUTES).close();
        } catch (Exception e) {
            throw wrap(e, "INSERT INTO " + table);
        }
    }

    private QuerySettings settings(boolean inDatabase) {
        QuerySettings s = new QuerySettings();
        applyCommon(s, inDatabase);
        return s;
    }

    private void applyCommon(QuerySettings s, boolean inDatabase) {
        if (inDatabase) {
            s.serverSetting("database", config.dbName());
        }
        Dialect d = dialect;
        if (d != null && d.lowCardinalityExperimental()) {
            s.serverSetting("allow_experimental_low_cardinality_type", "1");
        }
    }

    private static String stripSemicolon(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }

    private ClickHouseException wrap(Exception e, String sql) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        for (Throwable c = t; c != null; c = c.getCause()) {
            // a refusal the server reports ("Code: 210 ... Connection refused (host:port)", from remote() or a
            // replica) is the server's error, not this client's connection
            String text = String.valueOf(c.getMessage());
            if (c instanceof ConnectException || (text.contains("Connection refused") && !CODE.matcher(text).find())) {
                return new ClickHouseException(ClickHouseException.REFUSED, "ClickHouse does not answer at "
                        + config.endpoint()
                        + " (connection refused)", t);
            }
        }
        String msg = String.valueOf(t.getMessage());
        Matcher m = CODE.matcher(msg);
        int code = m.find() ? Integer.parseInt(m.group(1)) : 0;
        if (msg.contains("distributed_ddl_task_timeout")) {
            return new ClickHouseException(code, onClusterTimeout(clean(msg)), t);
        }
        return new ClickHouseException(code, clean(msg), t);
    }

    /**
     * A statement ON CLUSTER that not every replica finished in time: which cluster, what the server said (how many
     * hosts are unfinished), that the others run it when they are back, and what to do.
     */
    private String onClusterTimeout(String cleaned) {
        return "ON CLUSTER " + config.cluster() + ": not every replica finished the statement within"
                + " distributed_ddl_task_timeout; a replica is down or busy (" + cleaned + "). The replicas that missed"
                + " it run it when they are back; check them (`infra status`), then run the command again";
    }

    /** Strips the client's prefixes and the server's stack noise from an error message. */
    static String clean(String msg) {
        String s = msg;
        int db = s.indexOf("DB::Exception: ");
        if (db >= 0) {
            s = s.substring(db + "DB::Exception: ".length());
        }
        int what = s.indexOf(", e.what()");
        if (what >= 0) {
            s = s.substring(0, what);
        }
        int stack = s.indexOf("Stack trace");
        if (stack >= 0) {
            s = s.substring(0, stack);
        }
        s = s.replaceAll("\\s+", " ").strip();
        Matcher m = CODE.matcher(msg);
        return (m.find() && !s.startsWith("Code") ? "Code " + m.group(1) + ": " : "") + s;
    }

    @Override
    public void close() {
        client.close();
    }
}
