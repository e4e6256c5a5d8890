package dcm.shell;

import dcm.app.Adoption;
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

    private static Result run(Session s, Args a) {
        List<Adoption.Adopted> adopted = new Adoption(s).adopt(a.positional().get(0));
        List<Block> blocks = new ArrayList<>();
        List<Map<String, Object>> data = new ArrayList<>();
        for (Adoption.Adopted t : adopted) {
            blocks.add(Block.line(Role.OK, "adopted " + t.kind() + " " + t.name() + " (" + t.lifeCycle() + ")"));
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", t.name());
            o.put("kind", t.kind());
            o.put("lifeCycle", t.lifeCycle().name());
            data.add(o);
        }
        blocks.add(Block.line(Role.HINT, "`plan` shows the changes that take " + (adopted.size() == 1 ? "it" : "them")
                + " to the model"));
        return Result.ok(blocks, Map.of("adopted", data));
    }
}
