package dcm.shell;

import dcm.app.FileIngest;
import dcm.app.SyncWait;
import dcm.clickhouse.SyncPause;
import dcm.core.ModelSpec;
import dcm.ingest.IngestServer;
import dcm.sync.SyncManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code serve}, {@code ingest} and {@code sync}: records in through routes and files, topics into tables. */
final class StreamCommands {
    static final Syntax SERVE = Syntax.of("serve")
            .optional("stop", "`serve stop` ends the server the REPL runs in the background")
            .option("--port", "N", "listen on port N (default [http_server_config] port)")
            .option("--for", "SECONDS", "serve for SECONDS, then stop");
    static final Syntax INGEST = Syntax.of("ingest")
            .param("<Model>[@version]", "the model (its latest version) or one version of it")
            .param("<file>", "a .json, .jsonl or .csv file");
    static final Syntax SYNC = Syntax.of("sync")
            .optional("status|start|stop|wait|pause|resume", "what to do (default status)")
            .optional("Model@version", "the sync to pause or resume (resume: all without it)")
            .option("--timeout", "SECONDS", "how long `sync wait` waits (default 60)");
    private static final long MAX_BODY = 16L * 1024 * 1024;
    private static final int CHUNK = 10_000;

    private StreamCommands() {}

    static List<Command> commands() {
        return List.of(
                new Command(SERVE, "start the ingest routes POST /ingest/<Model>[/<version>]",
                        "Starts the HTTP ingest server ([http_server_config], port 4000) and the syncs. A body is one"
                                + " JSON object, an array or JSON lines, validated whole against the version's schema:"
                                + " a bad record gets 400 with its index, field and reason, and nothing of that"
                                + " request is produced; bodies over 16 MiB get 413. In the REPL it runs in the"
                                + " background (`serve stop` ends it); in batch runs it serves until Ctrl-C / SIGTERM"
                                + " or --for SECONDS. With [authentication] admin_api_key it also answers the admin"
                                + " endpoint /admin/ for `plan --url` and `apply --url` (a bearer token whose hash is"
                                + " that key; anything else gets 401); [http_server_config] use_ssl makes it HTTPS.", Completion.SUBCOMMANDS, List.of("stop"), StreamCommands::serve),
                new Command(INGEST, "send a JSON, JSON-lines or CSV file to a model version's topic",
                        "Validates every record like the ingest route; sends the valid ones (10,000 per transaction)"
                                + " and lists the rejected ones with record number, field and reason. Exit code 1"
                                + " when any record was rejected.", Completion.FILES, List.of(), StreamCommands::ingest),
                new Command(SYNC, "topic-to-table syncs: status, start, stop, wait, pause, resume",
                        "Each model version with a table and a topic has a sync that lands the topic in the table in"
                                + " batches, committing offsets only after ClickHouse took the batch. status: lag and"
                                + " rows/s per topic (`held (pause)`: a backfill paused it, in any process, and the note"
                                + " says by whom and since when); wait: until every running sync has no lag.",
                        Completion.SUBCOMMANDS, List.of("status", "start", "stop", "wait", "pause", "resume"),
                        StreamCommands::sync));
    }

    private static Result serve(Session s, Args a) {
        if (!a.words().isEmpty() && !a.words().get(0).equals("stop")) {
            throw CommandError.usage("unknown serve action '" + a.words().get(0) + "' (only `serve stop`)",
                    SERVE.synopsis());
        }
        if (a.words().contains("stop")) {
            IngestServer server = s.server();
            if (server == null) {
                return Result.message("the ingest server is not running");
            }
            server.close();
            s.server(null);
            return Result.message("ingest server stopped (accepted " + server.accepted() + " record(s))");
        }
        if (s.server() != null) {
            return Result.message("the ingest server already listens on port " + s.server().port());
        }
        int port = a.intOption("--port", s.config().httpPort(), 0, 65535);
        int seconds = a.intOption("--for", 0, 1, 31_536_000);
        if (!s.loadState().complete()) {
            // serving goes on with the models in force (stale ones as last loaded), but never silently
            LoadGate.problems(s.loadState(), "serving the models in force; stale ones as last loaded")
                    .forEach(b -> TextRenderer.plain(b).forEach(s::note));
        }
        s.startSyncs();
        int syncs = s.sync().status().size();
        IngestServer server;
        javax.net.ssl.SSLContext tls;
        try {
            tls = dcm.remote.TlsContexts.server(s.config().httpTls(), s.config().projectDir());
        } catch (IllegalArgumentException e) {
            throw CommandError.failed(e.getMessage(), "make one with keytool -genkeypair -storetype PKCS12 ..., or"
                    + " set use_ssl = false");
        }
        try {
            server = new IngestServer(s.config().httpHost(), port, s::models, s::schema, s.ingestor(), MAX_BODY, tls);
        } catch (IOException e) {
            throw CommandError.failed("cannot listen on " + s.config().httpHost() + ":" + port + ": " + e.getMessage(),
                    "pick another port with --port or [http_server_config] port");
        }
        dcm.remote.AdminHandler admin = new dcm.remote.AdminHandler(s.config().adminApiKey(),
                new dcm.app.AdminService(s, s::syncNewVersions));
        server.route(dcm.remote.AdminHandler.PATH, admin);
        s.server(server);
        String routes = String.join(", ", s.models().stream().filter(m -> m.topic() != null)
                .map(m -> "/ingest/" + m.name() + "/" + m.version()).toList());
        String text = "listening on " + s.config().httpTls().scheme() + "://" + s.config().httpHost() + ":"
                + server.port() + " — routes: " + routes + "; " + syncs + " sync(s) running; admin endpoint "
                + (admin.enabled() ? "on (/admin/, for plan --url and apply --url)" : "off (no usable"
                + " [authentication] admin_api_key: `generate hash-token` makes one)");
        if (s.interactive() && seconds == 0) {
            return Result.ok(List.of(Block.line(Role.OK, text)), Map.of("port", server.port(), "routes", routes));
        }
        s.progress(text);
        AtomicBoolean stop = new AtomicBoolean();
        Runnable restore = s.onInterrupt(() -> stop.set(true));
        Thread hook = new Thread(() -> stop.set(true));
        Runtime.getRuntime().addShutdownHook(hook);
        long until = seconds == 0 ? Long.MAX_VALUE : System.currentTimeMillis() + seconds * 1000L;
        try {
            while (!stop.get() && System.currentTimeMillis() < until) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            restore.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
            server.close();
            s.server(null);
        }
        return Result.ok(List.of(Block.line(Role.OK, "served: accepted " + server.accepted() + " record(s), rejected "
                + server.rejected() + " request(s)")), Map.of("accepted", server.accepted()));
    }

    private static Result ingest(Session s, Args a) {
        List<String> p = a.positional();
        if (p.size() != 2) {
            throw CommandError.usage("ingest needs a model and a file", INGEST.synopsis());
        }
        // the schema's types follow the server (DateTime64 only on 20.1+): learn them first, so the records carry
        // the fingerprint the sync of the table checks (with another, it validates each one again, 3-4 times slower)
        s.learnDialect();
        String[] ref = p.get(0).split("@", 2);
        ModelSpec model = IngestServer.resolve(s.models(), ref[0], ref.length > 1 ? ref[1] : null)
                .filter(m -> m.topic() != null).orElseThrow(() -> CommandError.failed("no model version " + p.get(0)
                        + " with a topic", "`ls` lists models; only those with a Stream or IngestPipeline take records"));
        Path file = s.config().projectDir().resolve(p.get(1));
        if (!Files.isRegularFile(file)) {
            throw CommandError.usage("no file " + file, INGEST.synopsis());
        }
        int[] bars = {0};
        FileIngest.Outcome o = FileIngest.send(s.ingestor(), s.schema(model), file, p.get(0), (sent, of) -> {
            bars[0]++;
            s.progressInline(bar(sent, of));
        });
        if (bars[0] > 0) {
            s.progressInline("\n");
        }
        List<String> rejected = o.rejected();
        int sent = o.sent();
        int total = o.total();
        List<Block> blocks = new ArrayList<>();
        blocks.add(Block.line(rejected.isEmpty() ? Role.OK : Role.WARN, "ingested " + sent + " of " + total
                + " record(s) into " + model.topic().name() + (rejected.isEmpty() ? "" : "; rejected "
                + rejected.size() + ":")));
        rejected.stream().limit(20).forEach(r -> blocks.add(Block.line(Role.ERROR, "  " + r)));
        if (rejected.size() > 20) {
            blocks.add(Block.line(Role.DIM, "  ... and " + (rejected.size() - 20) + " more"));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("topic", model.topic().name());
        data.put("accepted", sent);
        data.put("rejected", rejected);
        if (!rejected.isEmpty()) {
            data.put("code", "REJECTED_RECORDS");
        }
        return new Result(rejected.isEmpty(), rejected.isEmpty() ? 0 : 1, blocks, data);
    }

    private static String bar(int done, int total) {
        int width = 30;
        int filled = (int) ((long) done * width / Math.max(1, total));
        return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + (done * 100L / Math.max(1, total)) + "% "
                + done + "/" + total;
    }

    private static Result sync(Session s, Args a) {
        List<String> w = a.positional();
        String sub = w.isEmpty() ? "status" : w.get(0);
        if (w.size() > 1 && !List.of("pause", "resume").contains(sub)) {
            throw CommandError.usage("`sync " + sub + "` takes no model version (got '" + w.get(1) + "')",
                    SYNC.synopsis());
        }
        SyncManager sync = s.sync();
        switch (sub) {
            case "start" -> {
                int n = s.startSyncs();
                List<Block> blocks = new ArrayList<>(List.of(Block.line(Role.OK, "started " + n + " sync(s)")));
                sync.elsewhere().forEach(e -> blocks.add(Block.line(Role.WARN, "not started here: " + e)));
                return Result.ok(blocks, Map.of("started", n, "elsewhere", sync.elsewhere()));
            }
            case "stop" -> {
                sync.close();
                return Result.message("syncs stopped");
            }
            case "pause" -> {
                if (w.size() < 2 || !sync.pause(w.get(1))) {
                    throw CommandError.usage("no running sync " + (w.size() < 2 ? "given" : w.get(1))
                            + "; `sync status` lists them", SYNC.synopsis());
                }
                return Result.message("paused " + w.get(1) + ": its topic keeps the records until `sync resume`");
            }
            case "resume" -> {
                return Result.message("resumed " + sync.resume(w.size() < 2 ? null : w.get(1)) + " sync(s)");
            }
            case "wait" -> {
                return await(s, sync, a.intOption("--timeout", 60, 1, 86_400));
            }
            case "status" -> {
                return status(sync.status(), sync.remote(s.syncModels()), sync.pauses());
            }
            default -> throw CommandError.usage("unknown sync action '" + sub + "'", SYNC.synopsis());
        }
    }

    /**
     * Waits for the syncs, wherever they run (here, another shell, {@code serve}), to catch up; with none running
     * anywhere, succeeds only when nothing is behind.
     */
    private static Result await(Session s, SyncManager sync, int timeout) {
        SyncWait.Outcome o = SyncWait.await(sync, s.syncModels(), timeout);
        return Result.message(o.noneRunning() ? "no sync runs (here or elsewhere), and nothing is behind"
                : "all syncs caught up" + (o.elsewhere() == 0 ? "" : " (" + o.elsewhere() + " of them in other"
                + " processes)"));
    }

    private static Result status(List<SyncManager.Status> all, List<SyncManager.Remote> others,
                                 List<SyncPause.Paused> pauses) {
        java.util.Set<String> held = new java.util.HashSet<>(pauses.stream().map(SyncPause.Paused::table).toList());
        List<List<String>> rows = new ArrayList<>();
        for (SyncManager.Status st : all) {
            rows.add(List.of(st.model(), st.topic() + " -> " + st.table(), st.paused() ? "paused"
                            : held.contains(st.table()) ? "held (pause)" : "running",
                    st.lag() < 0 ? "?" : Long.toString(st.lag()),
                    String.format(Locale.ROOT, "%.0f", st.rowsPerSecond()), Long.toString(st.rows()),
                    Long.toString(st.deadLetters()), st.lastError()));
        }
        for (SyncManager.Remote r : others) {
            rows.add(List.of(r.model(), r.topic() + " -> " + r.table(), "runs in " + r.owner()
                            + (held.contains(r.table()) ? ", held (pause)" : ""),
                    r.lag() < 0 ? "?" : Long.toString(r.lag()), "", "", "", ""));
        }
        List<String> notes = new ArrayList<>(all.stream().filter(st -> !st.recovery().isEmpty())
                .map(st -> st.model() + ": " + st.recovery()).toList());
        pauses.forEach(p -> notes.add(pauseNote(p)));
        List<Block> blocks = new ArrayList<>(List.of(rows.isEmpty()
                ? Block.line(Role.DIM, "no syncs running: `sync start` (needs a model with a table and a topic,"
                        + " applied)")
                : new Block.Table(List.of("model", "topic -> table", "state", "lag", "rows/s", "rows",
                        "dead letters", "last error"), rows)));
        notes.forEach(n -> blocks.add(Block.line(Role.WARN, n)));
        return Result.ok(blocks, Map.of("syncs", all, "elsewhere", others, "pauses", pauses));
    }

    /**
     * What a pause in ClickHouse means for the one who sees its syncs stalled: held by whom since when, and that
     * the `apply` that paused them resumes them when run again (after it crashed or was stopped).
     */
    static String pauseNote(SyncPause.Paused p) {
        return p.describe() + (p.acknowledgedBy().isEmpty() ? "" : " (acknowledged by "
                + String.join(", ", p.acknowledgedBy()) + ")") + ": the sync into it inserts nothing until the pause"
                + " is resumed; its records wait in the topic. A backfill pauses for seconds: if this stays, the"
                + " apply that paused it stopped or crashed; run `apply` again, it resumes the syncs";
    }
}
