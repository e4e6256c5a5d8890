package dcm.shell;

import dcm.core.TokenHash;
import dcm.log.LogFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code generate hash-token} (the admin token and its hash) and {@code logs} (what the shell did). */
final class AdminCommands {
    static final Syntax GENERATE = Syntax.of("generate")
            .param("hash-token", "a new admin token and the hash the server keeps of it");
    static final Syntax LOGS = Syntax.of("logs")
            .option("-n", "N", "how many of the last lines (default 50)")
            .flag("-f", "follow: show lines as they are written, until Ctrl-C");

    private AdminCommands() {}

    static List<Command> commands() {
        return List.of(
                new Command(GENERATE, "generate an admin token and its hash for [authentication] admin_api_key",
                        "Prints a new random admin token and its salted PBKDF2-HMAC-SHA256 hash. The hash goes in"
                                + " the server's moose.config.toml as [authentication] admin_api_key (or"
                                + " MOOSE_AUTHENTICATION__ADMIN_API_KEY); the token goes to whoever runs `plan --url`"
                                + " and `apply --url` (--token or DCM_ADMIN_TOKEN). The server keeps only the hash;"
                                + " the token is shown this once and never logged.",
                        Completion.SUBCOMMANDS, List.of("hash-token"), AdminCommands::generate),
                new Command(LOGS, "show the shell's log: plans applied, bumps, backfills, sync errors, refusals",
                        "The last lines of .moose/logs/dcm.log (rolled at 5 MB, 3 older files kept as dcm.1.log ..."
                                + " dcm.3.log): plans applied with their operations, bumps and retirements, sync"
                                + " errors, ingest and admin requests refused (status, route, reason; never a body,"
                                + " password or token). -f follows the file until Ctrl-C.",
                        Completion.NONE, List.of(), AdminCommands::logs));
    }

    private static Result generate(Session s, Args a) {
        if (!a.positional().get(0).equals("hash-token")) {
            throw CommandError.usage("unknown thing to generate '" + a.positional().get(0) + "' (only hash-token)",
                    GENERATE.synopsis());
        }
        String token = TokenHash.newToken();
        String hash = TokenHash.hash(token);
        List<Block> blocks = List.of(
                Block.line(Role.HEADER, "admin token (give it to whoever plans and applies remotely; shown only now):"),
                Block.line(Role.OK, "  " + token),
                Block.line(Role.HEADER, "for the server's moose.config.toml (only this hash is kept there):"),
                Block.line(Role.OK, "  [authentication]"),
                Block.line(Role.OK, "  admin_api_key = \"" + hash + "\""),
                Block.line(Role.DIM, "then: plan --url http(s)://<server>:<port> --token <token> (or DCM_ADMIN_TOKEN)"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("token", token);
        data.put("adminApiKey", hash);
        return Result.ok(blocks, data);
    }

    private static Result logs(Session s, Args a) {
        int n = a.intOption("-n", 50, 1, 100_000);
        Path file = LogFiles.file(s.config().projectDir());
        List<String> last = tail(file, n);
        if (!a.flag("-f")) {
            List<Block> blocks = new ArrayList<>();
            if (last.isEmpty()) {
                blocks.add(Block.line(Role.DIM, "nothing logged yet (" + s.config().projectDir().relativize(file)
                        + ")"));
            }
            last.forEach(l -> blocks.add(Block.line(Role.PLAIN, l)));
            return Result.ok(blocks, Map.of("file", file.toString(), "lines", last));
        }
        last.forEach(s::progress);
        return follow(s, file);
    }

    /** Prints what is appended to the log until Ctrl-C (or SIGTERM), from a new file when it was rolled over. */
    private static Result follow(Session s, Path file) {
        AtomicBoolean stop = new AtomicBoolean();
        Runnable restore = s.onInterrupt(() -> stop.set(true));
        Thread hook = new Thread(() -> stop.set(true));
        Runtime.getRuntime().addShutdownHook(hook);
        long shown = 0;
        try {
            long pos = Files.exists(file) ? Files.size(file) : 0;
            StringBuilder partial = new StringBuilder();
            while (!stop.get()) {
                long size = Files.exists(file) ? Files.size(file) : 0;
                if (size < pos) {
                    pos = 0; // rolled over: the new file from its start
                }
                if (size > pos) {
                    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                        in.seek(pos);
                        byte[] b = new byte[(int) Math.min(size - pos, 1 << 20)];
                        in.readFully(b);
                        pos += b.length;
                        partial.append(new String(b, StandardCharsets.UTF_8));
                    }
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        s.progress(partial.substring(0, nl));
                        partial.delete(0, nl + 1);
                        shown++;
                    }
                } else {
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw CommandError.failed("cannot read " + file + ": " + e.getMessage(), null);
        } finally {
            restore.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down
            }
        }
        return Result.ok(List.of(), Map.of("file", file.toString(), "followed", shown));
    }

    /** The last {@code n} lines of the log (the older file first when the current one holds fewer). */
    static List<String> tail(Path file, int n) {
        Deque<String> out = new ArrayDeque<>();
        Path older = file.resolveSibling("dcm.1.log");
        for (Path f : List.of(older, file)) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            try (var lines = Files.lines(f, StandardCharsets.UTF_8)) {
                lines.forEach(l -> {
                    out.addLast(l);
                    if (out.size() > n) {
                        out.removeFirst();
                    }
                });
            } catch (IOException | java.io.UncheckedIOException e) {
                throw CommandError.failed("cannot read " + f + ": " + e.getMessage(), null);
            }
        }
        return new ArrayList<>(out);
    }
}
