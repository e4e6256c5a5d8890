package dcm.shell;

import dcm.clickhouse.ClickHouse;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.live.LiveState;
import dcm.migrate.Journal;
import dcm.migrate.LiveReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code adopt}: let dcm manage a table, alias view or topic a model wants that exists but that dcm did not create.
 * Until then, {@code plan} plans nothing on such an object (it is shown as FOREIGN); adopting records it in
 * {@code _dcm_objects} with the model's lifecycle, and the next plan shows the changes that take it to the model.
 */
final class AdoptCommand {
    static final Syntax SYNTAX = Syntax.of("adopt").param("<model|table|topic>", "what to adopt");

    private AdoptCommand() {}

    static Command command() {
        return new Command(SYNTAX, "let dcm manage a table, view or topic it did not create",
                "A table, alias view or topic that a model wants but that dcm did not create is FOREIGN: `plan`"
                        + " shows how it differs and plans nothing on it. `adopt` records it as dcm's, with the"
                        + " model's lifecycle; from then on `plan` shows the changes (drops included) that take it"
                        + " to the model. A model name adopts its table, alias view and topic, those that exist"
                        + " and are foreign; a table or topic name adopts that one.", Completion.TARGETS, List.of(),
                AdoptCommand::run);
    }

    /** One object a name denotes: its name, kind (table, view, topic) and the lifecycle it gets. */
    private record Target(String name, String kind, LifeCycle lifeCycle) {}

    private static Result run(Session s, Args a) {
        List<String> names = a.positional();
        if (names.size() != 1) {
            throw CommandError.usage("adopt needs one model, table or topic name", SYNTAX.synopsis());
        }
        String name = names.get(0);
        List<Target> targets = targets(s, name);
        if (targets.isEmpty()) {
            throw CommandError.failed("no model wants a table, view or topic named " + name + ": nothing to adopt",
                    "`ls` lists the models with their tables and topics; adopt takes one of those names");
        }
        List<Target> external = targets.stream().filter(t -> t.lifeCycle() == LifeCycle.EXTERNALLY_MANAGED).toList();
        if (!external.isEmpty()) {
            throw CommandError.failed(external.get(0).name() + " is EXTERNALLY_MANAGED in its model: dcm never"
                    + " changes it, so it is not adopted", "change the model's lifeCycle first to let dcm manage it");
        }
        ClickHouse ch = s.clickhouse();
        boolean topics = targets.stream().anyMatch(t -> t.kind().equals("topic"));
        LiveState live = LiveReader.read(ch, topics ? s.broker() : null);
        List<Target> present = targets.stream().filter(t -> exists(live, t)).toList();
        if (present.isEmpty()) {
            throw CommandError.failed(name + " does not exist: nothing to adopt", "`apply` creates what the models"
                    + " want");
        }
        List<Target> foreign = present.stream().filter(t -> !live.lifecycles().containsKey(t.name())).toList();
        if (foreign.isEmpty()) {
            throw CommandError.failed(name + " is already managed by dcm: nothing to adopt",
                    "`plan` shows what would change");
        }
        Journal journal = new Journal(ch);
        journal.ensure();
        List<Block> blocks = new ArrayList<>();
        List<Map<String, Object>> adopted = new ArrayList<>();
        for (Target t : foreign) {
            journal.recordObject(t.name(), t.kind(), t.lifeCycle());
            blocks.add(Block.line(Role.OK, "adopted " + t.kind() + " " + t.name() + " (" + t.lifeCycle() + ")"));
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", t.name());
            o.put("kind", t.kind());
            o.put("lifeCycle", t.lifeCycle().name());
            adopted.add(o);
        }
        blocks.add(Block.line(Role.HINT, "`plan` shows the changes that take " + (foreign.size() == 1 ? "it" : "them")
                + " to the model"));
        return Result.ok(blocks, Map.of("adopted", adopted));
    }

    /** What a name denotes: a model's table, alias view and topic, or the table or topic of that name. */
    private static List<Target> targets(Session s, String name) {
        List<Target> out = new ArrayList<>();
        for (ModelSpec m : s.models()) {
            boolean model = m.name().equals(name);
            if (m.table() != null && (model || m.table().name().equals(name))) {
                out.add(new Target(m.table().name(), "table", m.table().lifeCycle()));
            }
            if (m.table() != null && model) {
                out.add(new Target(m.name(), "view", m.table().lifeCycle() == LifeCycle.EXTERNALLY_MANAGED
                        ? LifeCycle.EXTERNALLY_MANAGED : LifeCycle.FULLY_MANAGED));
            }
            if (m.topic() != null && (model || m.topic().name().equals(name))) {
                out.add(new Target(m.topic().name(), "topic", m.topic().lifeCycle()));
            }
        }
        return out;
    }

    private static boolean exists(LiveState live, Target t) {
        return switch (t.kind()) {
            case "table" -> live.table(t.name()).filter(x -> !x.isView()).isPresent();
            case "view" -> live.table(t.name()).filter(x -> x.engine().equals("View")).isPresent();
            case "topic" -> live.topic(t.name()).isPresent();
            default -> throw new IllegalStateException("unhandled kind of object: " + t.kind());
        };
    }
}
