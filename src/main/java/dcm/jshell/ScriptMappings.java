package dcm.jshell;

import dcm.core.versions.MappingEdit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mappings between versions ({@code new Mapping(...)}) that the model files and the prompt define, kept the way
 * their models are: a file that fails keeps the mappings of its last good load, a file that is gone takes its own
 * along, and a prompt line that defines the mapping of a step again replaces the one the prompt had.
 */
final class ScriptMappings {
    private final Map<String, List<MappingEdit>> byFile = new LinkedHashMap<>();
    private final List<MappingEdit> prompt = new ArrayList<>();

    /** Forgets the files that are no longer there. */
    void keepFiles(Collection<String> files) {
        byFile.keySet().retainAll(files);
    }

    /** A file evaluated completely: its mappings now (a file that failed keeps its last ones: not called). */
    void loaded(String file, List<SnippetRunner.CreatedMapping> created) {
        byFile.put(file, edits(file, created));
    }

    /** Forgets the prompt's mappings (before the prompt's lines are replayed). */
    void clearPrompt() {
        prompt.clear();
    }

    /** Mappings a prompt line defined, replacing the prompt's earlier ones of the same steps. */
    void prompt(String file, List<SnippetRunner.CreatedMapping> created) {
        for (MappingEdit e : edits(file, created)) {
            prompt.removeIf(p -> p.model().equals(e.model()) && p.from().equals(e.from()) && p.to().equals(e.to()));
            prompt.add(e);
        }
    }

    /** Every mapping, the files' in load order, then the prompt's. */
    List<MappingEdit> all() {
        List<MappingEdit> out = new ArrayList<>();
        byFile.values().forEach(out::addAll);
        out.addAll(prompt);
        return out;
    }

    private static List<MappingEdit> edits(String file, List<SnippetRunner.CreatedMapping> created) {
        return created.stream().map(c -> c.mapping().edit(file, c.line())).toList();
    }
}
