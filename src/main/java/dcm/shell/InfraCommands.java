package dcm.shell;

import dcm.infra.ServerStatus;
import java.util.ArrayList;
import java.util.List;

/** {@code infra up | down | status}. */
final class InfraCommands {
    static final Syntax SYNTAX = Syntax.of("infra").optional("up|down|status", "what to do (default status)")
            .flag("--cluster", "up: start the local cluster (ZooKeeper and two ClickHouse replicas)");

    private InfraCommands() {}

    static List<Command> commands() {
        return List.of(new Command(SYNTAX, "start, stop or show the local ClickHouse and Kafka",
                "up: start a project-local ClickHouse and Kafka broker (KRaft) under .moose/, each only when nothing"
                        + " answers at its configured address. down: stop the servers this project started (data"
                        + " stays in .moose/). status: what answers where, and which version. up --cluster: a local"
                        + " ClickHouse cluster of the configured name instead ([[clickhouse_config.clusters]]):"
                        + " ZooKeeper and two replicas under .moose/cluster/.",
                Completion.SUBCOMMANDS, List.of("up", "down", "status"), InfraCommands::run));
    }

    private static Result run(Session s, Args a) {
        String sub = a.words().isEmpty() ? "status" : a.words().get(0);
        List<ServerStatus> statuses;
        switch (sub) {
            case "up" -> {
                List<ServerStatus> up = new ArrayList<>(a.flag("--cluster") ? s.infra().upCluster(s::note)
                        : List.of(s.infra().upClickHouse(s::note)));
                up.add(s.infra().upBroker(s::note));
                statuses = up;
                s.serversChanged();
            }
            case "down" -> {
                statuses = s.infra().down();
                s.serversChanged();
            }
            case "status" -> statuses = s.infra().status();
            default -> throw CommandError.usage("unknown infra action '" + sub + "'", SYNTAX.synopsis());
        }
        List<List<String>> rows = new ArrayList<>();
        for (ServerStatus st : statuses) {
            rows.add(List.of(st.component(), st.address(), sub.equals("down") ? "-" : st.answering() ? "yes" : "no",
                    st.version() == null ? "-" : st.version(), st.pid() > 0 ? Long.toString(st.pid()) : "-",
                    st.note() == null ? "" : st.note()));
        }
        List<Block> blocks = List.of(new Block.Table(List.of("server", "address", "answering", "version", "pid",
                "note"), rows));
        boolean ok = !sub.equals("up") || statuses.stream().allMatch(ServerStatus::answering);
        return new Result(ok, ok ? 0 : 1, blocks, java.util.Map.of("servers", statuses));
    }
}
