package dcm.shell;

import dcm.clickhouse.ClickHouse;
import dcm.core.ModelSpec;
import dcm.core.Rows;
import dcm.core.Sql;
import dcm.kafka.TopicRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code sql} and {@code peek}: look at data in ClickHouse and on the broker. */
final class DataCommands {
    private static final Pattern FORMAT_CLAUSE = Pattern.compile("(?is).*\\bFORMAT\\s+[A-Za-z]+\\s*;?\\s*$");
    private static final List<String> ROW_STATEMENTS = List.of("SELECT", "WITH", "SHOW", "DESCRIBE", "DESC",
            "EXISTS", "EXPLAIN");
    static final Syntax PEEK = Syntax.of("peek")
            .param("<model|table|topic>", "a model (its latest version's table), any table, or a topic")
            .option("-n", "N", "how many rows or records (default 10)")
            .flag("--topic", "a model's topic rather than its table");

    private DataCommands() {}

    static List<Command> commands() {
        return List.of(
                new Command(Syntax.of("sql").raw("query", "one SQL statement, run in the project database"), "run SQL on ClickHouse; rows as a table",
                        "Runs one statement in the project database ([clickhouse_config] db_name). Rows come back as"
                                + " a table; a statement with its own FORMAT clause prints the server's text.",
                        Completion.TARGETS, List.of(), DataCommands::sql),
                new Command(PEEK, "show the last N rows of a table or records of a topic",
                        "Shows the last N (default 10) rows of a model's table ordered by its ORDER BY, of any table,"
                                + " or the last N records of a topic. A model name means its latest version's table,"
                                + " or its topic with --topic.", Completion.TARGETS, List.of(), DataCommands::peek));
    }

    private static Result sql(Session s, Args a) {
        String query = a.raw();
        if (query.isBlank()) {
            throw CommandError.usage("sql needs a statement", "sql <query>");
        }
        ClickHouse ch = s.clickhouse();
        // at the prompt a forgotten LIMIT must not keep the server busy: the server stops the query in time
        int limit = s.interactive() ? s.config().sqlTimeoutSeconds() : 0;
        String first = query.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        try {
            if (FORMAT_CLAUSE.matcher(query).matches()) {
                String text = ch.text(query, true, limit);
                return Result.ok(text.lines().map(Block::line).map(Block.class::cast).toList(), Map.of("text", text));
            }
            if (ROW_STATEMENTS.contains(first)) {
                return table(ch.query(query, true, limit), null);
            }
            ch.execute(query, true, limit);
        } catch (dcm.clickhouse.ClickHouseException e) {
            if (e.kind() == dcm.clickhouse.ClickHouseException.Kind.CANCELLED) {
                throw CommandError.failed("cancelled: the query was stopped on the server", null);
            }
            if (e.kind() == dcm.clickhouse.ClickHouseException.Kind.TIMEOUT) {
                throw CommandError.failed("stopped after " + limit + " s: " + e.getMessage(),
                        "add a LIMIT, or raise [shell_config] sql_timeout_seconds (0: no limit)");
            }
            throw e;
        }
        return Result.message("ok");
    }

    private static Result peek(Session s, Args a) {
        List<String> names = a.positional();
        if (names.size() != 1) {
            throw CommandError.usage("peek needs one model, table or topic name", PEEK.synopsis());
        }
        int n = a.intOption("-n", 10, 1, 100_000);
        String name = names.get(0);
        Optional<ModelSpec> model = s.model(name);
        boolean topic = a.flag("--topic");
        if (model.isPresent()) {
            ModelSpec m = model.get();
            if (!topic && m.table() != null) {
                return peekTable(s, m.table().name(), m.table().orderBy(), n);
            }
            if (m.topic() != null) {
                return peekTopic(s, m.topic().name(), n);
            }
            throw CommandError.failed("model " + m.name() + " has no " + (topic ? "topic" : "table or topic"),
                    "`ls " + m.name() + "` shows what it has");
        }
        if (!topic && tableExists(s, name)) {
            return peekTable(s, name, sortingKey(s, name), n);
        }
        if (s.broker().topicNames().contains(name)) {
            return peekTopic(s, name, n);
        }
        throw CommandError.failed("no model, table or topic named '" + name + "'",
                "`ls` lists models; `sql SHOW TABLES` lists tables");
    }

    private static boolean tableExists(Session s, String name) {
        if (!dcm.core.Names.isValidIdentifier(name)) {
            return false;
        }
        return s.clickhouse().tableExists(name);
    }

    /** The table's sorting key as ClickHouse reports it, as a list of expressions (may be empty). */
    private static List<String> sortingKey(Session s, String table) {
        Rows r = s.clickhouse().query("SELECT sorting_key FROM system.tables WHERE database = "
                + Sql.str(s.config().clickhouse().dbName()) + " AND name = " + Sql.str(table), false);
        String key = r.size() == 0 || r.get(0, "sorting_key") == null ? "" : r.get(0, "sorting_key").toString();
        return topLevel(key);
    }

    /** The expressions of a key as ClickHouse reports it ({@code userId, toDate(at)}), split at top-level commas. */
    static List<String> topLevel(String key) {
        List<String> parts = Sql.splitTopLevel(key);
        return parts == null ? List.of(key.strip()) : parts.stream().filter(p -> !p.isEmpty()).toList();
    }

    private static Result peekTable(Session s, String table, List<String> orderBy, int n) {
        String qualified = Sql.table(s.config().clickhouse().dbName(), table);
        List<String> keys = orderBy.stream().map(o -> dcm.core.Names.isValidIdentifier(o.replace("`", ""))
                ? Sql.id(o.replace("`", "")) : "(" + o + ")").toList();
        String order = String.join(", ", keys);
        String sql = orderBy.isEmpty()
                ? "SELECT * FROM " + qualified + " LIMIT " + n
                : "SELECT * FROM (SELECT * FROM " + qualified + " ORDER BY " + String.join(", ", keys.stream()
                        .map(k -> k + " DESC").toList()) + " LIMIT " + n + ") ORDER BY " + order;
        return table(s.clickhouse().query(sql, false), "last " + n + " rows of " + table
                + (orderBy.isEmpty() ? "" : " by " + String.join(", ", orderBy)));
    }

    private static Result peekTopic(Session s, String topic, int n) {
        List<TopicRecord> records = s.broker().peek(topic, n);
        List<List<String>> rows = new ArrayList<>();
        for (TopicRecord r : records) {
            rows.add(List.of(Integer.toString(r.partition()), Long.toString(r.offset()),
                    Instant.ofEpochMilli(r.timestamp()).toString(), r.key() == null ? "" : r.key(),
                    r.value() == null ? "null" : r.value()));
        }
        // a dead letter says why it is one: the reason the sync put in its header
        boolean reasons = records.stream().anyMatch(r -> r.headers().containsKey("dcm.reason"));
        if (reasons) {
            for (int i = 0; i < rows.size(); i++) {
                List<String> row = new ArrayList<>(rows.get(i));
                row.add(records.get(i).headers().getOrDefault("dcm.reason", ""));
                rows.set(i, row);
            }
        }
        List<Block> blocks = new ArrayList<>();
        blocks.add(Block.line(Role.DIM, "last " + records.size() + " record(s) of topic " + topic));
        List<String> header = new ArrayList<>(List.of("partition", "offset", "timestamp", "key", "value"));
        if (reasons) {
            header.add("reason");
        }
        blocks.add(new Block.Table(header, rows));
        return Result.ok(blocks, Map.of("topic", topic, "records", records));
    }

    private static Result table(Rows rows, String title) {
        List<Block> blocks = new ArrayList<>();
        if (title != null) {
            blocks.add(Block.line(Role.DIM, title));
        }
        List<List<String>> cells = new ArrayList<>();
        for (List<Object> row : rows.rows()) {
            cells.add(row.stream().map(v -> v == null ? "NULL" : String.valueOf(v)).toList());
        }
        blocks.add(new Block.Table(rows.columns(), cells));
        blocks.add(Block.line(Role.DIM, rows.size() + " row(s)"));
        List<Map<String, Object>> data = new ArrayList<>();
        for (List<Object> row : rows.rows()) {
            Map<String, Object> o = new LinkedHashMap<>();
            for (int i = 0; i < rows.columns().size(); i++) {
                o.put(rows.columns().get(i), row.get(i));
            }
            data.add(o);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("columns", rows.columns());
        out.put("types", rows.types());
        out.put("rows", data);
        return Result.ok(blocks, out);
    }
}
