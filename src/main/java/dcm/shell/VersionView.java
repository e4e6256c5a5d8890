package dcm.shell;

import dcm.app.AppError;
import dcm.app.VersionReport;
import dcm.core.versions.Compatibility;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders compatibility verdicts between versions (Schema Registry's FULL, BACKWARD, FORWARD, NONE), with what breaks
 * each direction, as text and as data: what {@code bump} reports and what {@code plan} shows above the plan.
 */
final class VersionView {
    private VersionView() {}

    /** What a level means for the readers of two versions (the table's and the topic's alike). */
    static String meaning(Compatibility c) {
        return switch (c.level()) {
            case FULL -> "readers of either version read both versions' records";
            case BACKWARD -> "readers of " + c.to() + " read " + c.from() + "'s records; readers of " + c.from()
                    + " cannot read all of " + c.to() + "'s";
            case FORWARD -> "readers of " + c.from() + " read " + c.to() + "'s records; readers of " + c.to()
                    + " cannot read all of " + c.from() + "'s";
            case NONE -> "neither version's readers read all of the other's records";
        };
    }

    /** One model's verdict: a line with the level and its meaning, then one line per break. */
    static List<Block> verdict(Compatibility c) {
        List<Block> out = new ArrayList<>();
        Role role = switch (c.level()) {
            case FULL -> Role.OK;
            case BACKWARD, FORWARD -> Role.WARN;
            case NONE -> Role.ERROR;
        };
        out.add(Block.line(role, "  " + c.model() + " " + c.from() + " -> " + c.to() + ": " + c.level() + " ("
                + meaning(c) + ")"));
        c.backward().forEach(b -> out.add(Block.line(Role.DIM, "      breaks BACKWARD: " + b)));
        c.forward().forEach(f -> out.add(Block.line(Role.DIM, "      breaks FORWARD: " + f)));
        return out;
    }

    /**
     * How the current models differ from their frozen versions: a heading, each changed model's verdict, the models
     * added and removed, and the unchanged ones; nothing when no model differs from its frozen versions.
     */
    static List<Block> report(VersionReport r, String heading) {
        List<Block> out = new ArrayList<>();
        if (!r.differs()) {
            return out;
        }
        out.add(Block.line(Role.HEADER, heading));
        r.changed().forEach(c -> out.addAll(verdict(c)));
        if (!r.added().isEmpty()) {
            out.add(Block.line(Role.ADD, "  new in " + r.version() + ": " + String.join(", ", r.added())));
        }
        if (!r.removed().isEmpty()) {
            out.add(Block.line(Role.DROP, "  not in " + r.version() + ": " + String.join(", ", r.removed())
                    + " (its old versions keep their tables while they are supported)"));
        }
        if (!r.unchanged().isEmpty()) {
            out.add(Block.line(Role.DIM, "  unchanged (sharing their last version's table and topic): "
                    + String.join(", ", r.unchanged())));
        }
        return out;
    }

    /** The heading of {@link #report} in {@code plan}. */
    static String planHeading(VersionReport r) {
        return "versions: " + r.version() + " against the frozen " + r.frozen() + ", per changed model (for the"
                + " table and the topic alike):";
    }

    /**
     * The versions part of {@code plan}: the report's blocks (a warning when the frozen versions cannot be read), its
     * data put into {@code data} as {@code versions}.
     */
    static List<Block> forPlan(dcm.app.Project project, Map<String, Object> data) {
        try {
            VersionReport r = VersionReport.of(project);
            if (r.differs()) {
                data.put("versions", json(r));
            }
            return report(r, planHeading(r));
        } catch (AppError e) {
            data.put("versionsProblem", e.getMessage());
            return List.of(Block.line(Role.WARN, "versions: " + e.getMessage() + (e.evidence().isEmpty() ? ""
                    : ": " + String.join("; ", e.evidence()))));
        }
    }

    static Map<String, Object> json(Compatibility c) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", c.model());
        o.put("from", c.from());
        o.put("to", c.to());
        o.put("level", c.level().name());
        o.put("backward", c.backward());
        o.put("forward", c.forward());
        return o;
    }

    static Map<String, Object> json(VersionReport r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("version", r.version());
        o.put("frozen", r.frozen());
        o.put("changed", r.changed().stream().map(VersionView::json).toList());
        o.put("added", r.added());
        o.put("removed", r.removed());
        o.put("unchanged", r.unchanged());
        return o;
    }
}
