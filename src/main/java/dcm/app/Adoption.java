package dcm.app;

import dcm.app.AppError.Code;
import dcm.clickhouse.ClickHouse;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.live.LiveState;
import dcm.migrate.Journal;
import dcm.migrate.LiveReader;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code adopt}: lets dcm manage a table, alias view or topic a model wants that exists but that dcm did not create.
 * Until then the planner plans nothing on such an object (FOREIGN); adopting records it in {@code _dcm_objects}
 * with the model's lifecycle, and the next plan shows the changes that take it to the model.
 */
public final class Adoption {
    /** One object adopted: its name, kind ({@code table}, {@code view}, {@code topic}) and the lifecycle it gets. */
    public record Adopted(String name, String kind, LifeCycle lifeCycle) {}

    private final Project project;

    public Adoption(Project project) {
        this.project = project;
    }

    /** Adopts what {@code name} denotes (a model's table, view and topic, or one table or topic) that is foreign. */
    public List<Adopted> adopt(String name) {
        List<Adopted> targets = targets(name);
        if (targets.isEmpty()) {
            throw refused("no model wants a table, view or topic named " + name + ": nothing to adopt",
                    "`ls` lists the models with their tables and topics; adopt takes one of those names");
        }
        List<Adopted> external = targets.stream().filter(t -> t.lifeCycle() == LifeCycle.EXTERNALLY_MANAGED).toList();
        if (!external.isEmpty()) {
            throw refused(external.get(0).name() + " is EXTERNALLY_MANAGED in its model: dcm never changes it, so it"
                    + " is not adopted", "change the model's lifeCycle first to let dcm manage it");
        }
        ClickHouse ch = project.clickhouse();
        boolean topics = targets.stream().anyMatch(t -> t.kind().equals("topic"));
        LiveState live = LiveReader.read(ch, topics ? project.broker() : null);
        List<Adopted> present = targets.stream().filter(t -> exists(live, t)).toList();
        if (present.isEmpty()) {
            throw refused(name + " does not exist: nothing to adopt", "`apply` creates what the models want");
        }
        List<Adopted> foreign = present.stream().filter(t -> !live.lifecycles().containsKey(t.name())).toList();
        if (foreign.isEmpty()) {
            throw refused(name + " is already managed by dcm: nothing to adopt", "`plan` shows what would change");
        }
        Journal journal = new Journal(ch);
        journal.ensure();
        foreign.forEach(t -> journal.recordObject(t.name(), t.kind(), t.lifeCycle()));
        return foreign;
    }

    private static AppError refused(String message, String hint) {
        return new AppError(Code.ADOPT_REFUSED, message, List.of(), hint);
    }

    /** What a name denotes: a model's table, alias view and topic, or the table or topic of that name. */
    private List<Adopted> targets(String name) {
        List<Adopted> out = new ArrayList<>();
        for (ModelSpec m : project.workspace().models()) {
            boolean model = m.name().equals(name);
            if (m.table() != null && (model || m.table().name().equals(name))) {
                out.add(new Adopted(m.table().name(), "table", m.table().lifeCycle()));
            }
            if (m.table() != null && model) {
                out.add(new Adopted(m.name(), "view", m.table().lifeCycle() == LifeCycle.EXTERNALLY_MANAGED
                        ? LifeCycle.EXTERNALLY_MANAGED : LifeCycle.FULLY_MANAGED));
            }
            if (m.topic() != null && (model || m.topic().name().equals(name))) {
                out.add(new Adopted(m.topic().name(), "topic", m.topic().lifeCycle()));
            }
        }
        return out;
    }

    private static boolean exists(LiveState live, Adopted t) {
        return switch (t.kind()) {
            case "table" -> live.table(t.name()).filter(x -> !x.isView()).isPresent();
            case "view" -> live.table(t.name()).filter(x -> x.engine().equals("View")).isPresent();
            case "topic" -> live.topic(t.name()).isPresent();
            default -> throw new IllegalStateException("unhandled kind of object: " + t.kind());
        };
    }
}
