package dcm.reliability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ClickHouse and the broker killed (kill -9) and started again while {@code serve} takes ingest load: every
 * acknowledged record lands exactly once. The servers are the suite's own ({@link OwnServers}), never the shared ones.
 */
final class RestartCases implements Reliability.Group {
    private final Suite suite;
    private OwnServers servers;
    private Project project;
    private Child serve;
    private int port;

    RestartCases(Suite suite) {
        this.suite = suite;
    }

    @Override
    public String name() {
        return "restart";
    }

    @Override
    public List<Case> cases() {
        return List.of(
                new Case("restart: ClickHouse kill -9 under ingest load", "restart", true, () -> underLoad("ch")),
                new Case("restart: broker kill -9 under ingest load", "restart", false, () -> underLoad("broker")));
    }

    /** The servers, a project on them with Ev applied, and `serve` (routes and syncs) as a process of its own. */
    private void setUp() {
        if (servers != null) {
            return;
        }
        servers = new OwnServers(suite);
        project = new Project(suite.home(), suite.folder("restart"), "rel_restart", servers.env());
        project.write("models/ev.jsh", Guard.MODEL.replace("IngestPipeline<>(\"Ev\", Ev.class)",
                "IngestPipeline<>(\"Ev\", Ev.class).partitions(2)"));
        project.ok("apply --yes");
        port = Poll.freePort();
        serve = project.serve(port);
    }

    private Outcome underLoad(String which) throws Exception {
        setUp();
        java.util.Random seeded = suite.random("restart-" + which);
        String prefix = which + "-";
        double down;
        IngestProducer load = new IngestProducer(port, prefix, 2);
        try {
            load.awaitMore(1000 + seeded.nextInt(2000), 120);
            down = which.equals("ch") ? servers.killAndRestartClickHouse() : servers.killAndRestartBroker();
            load.awaitMore(2000, 180);
        } finally {
            load.close();
        }
        Case.require(serve.alive(), "serve died: " + serve.outSoFar());
        Set<String> acked = load.ackedIds();
        Map<String, Long> landed = new HashMap<>();
        try {
            Poll.until("every acknowledged record of " + acked.size() + " in Ev_1_0", 180, () -> {
                landed.clear();
                landed.putAll(landed(prefix));
                return landed.keySet().containsAll(acked);
            });
        } catch (Case.Failed e) {
            long missing = acked.stream().filter(id -> !landed.containsKey(id)).count();
            String out = serve.outSoFar();
            throw new Case.Failed(e.getMessage() + ": " + missing + " missing, " + landed.size() + " landed; sync"
                    + " status: " + project.shell("sync status").all() + "; serve said: "
                    + out.substring(Math.max(0, out.length() - 1500)));
        }
        List<String> twice = new ArrayList<>();
        landed.forEach((id, n) -> {
            if (n > 1) {
                twice.add(id + " x" + n);
            }
        });
        Case.require(twice.isEmpty(), twice.size() + " record(s) landed more than once, e.g. " + twice.subList(0,
                Math.min(5, twice.size())));
        long unacked = landed.size() - acked.size();
        return Outcome.pass((which.equals("ch") ? "ClickHouse" : "broker") + " down " + String.format("%.1f", down)
                + " s; acknowledged " + acked.size() + ", all landed exactly once; " + unacked
                + " unacknowledged landed too; refused " + load.refused());
    }

    /** Each id of this case's records in Ev_1_0 and how often it is there. */
    private Map<String, Long> landed(String prefix) {
        Map<String, Long> out = new HashMap<>();
        String tsv = project.clickhouse().text("SELECT id, count() FROM " + dcm.core.Sql.table(project.db(), "Ev_1_0")
                + " WHERE startsWith(id, '" + prefix + "') GROUP BY id FORMAT TSV", false);
        for (String line : tsv.split("\n")) {
            if (!line.isBlank()) {
                String[] f = line.split("\t");
                out.put(f[0], Long.parseLong(f[1]));
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            if (serve != null) {
                serve.stop(30);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (project != null) {
                project.close();
            }
            if (servers != null) {
                servers.close();
            }
        }
    }
}
