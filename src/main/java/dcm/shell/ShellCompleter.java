package dcm.shell;

import dcm.core.ModelSpec;
import java.util.List;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Completes command names, then each command's arguments as its table entry says (models, tables and topics,
 * file paths, sub-commands); other lines complete as Java through JShell's source analysis.
 */
final class ShellCompleter implements Completer {
    private final Commands commands;
    private final Session session;
    private final Completer files = new Completers.FileNameCompleter();

    ShellCompleter(Commands commands, Session session) {
        this.commands = commands;
        this.session = session;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            commands.names().forEach(n -> candidates.add(new Candidate(n, n, "commands", null, null, null, true)));
            java(line, candidates);
            return;
        }
        String first = line.words().get(0);
        commands.find(first.startsWith("/") ? first.substring(1) : first).ifPresentOrElse(c -> arguments(c, reader, line, candidates),
                () -> java(line, candidates));
    }

    private void arguments(Command c, LineReader reader, ParsedLine line, List<Candidate> candidates) {
        // the options come from the command's one declaration: `apply --<TAB>`
        if (line.word().startsWith("-")) {
            c.syntax().options().forEach(o -> candidates.add(new Candidate(o.name(), o.name(), "options", o.help(),
                    null, null, true)));
            return;
        }
        switch (c.completion()) {
            case MODELS -> models(candidates);
            case TARGETS -> {
                models(candidates);
                session.models().stream().filter(m -> m.table() != null).map(m -> m.table().name()).distinct()
                        .forEach(t -> candidates.add(new Candidate(t, t, "tables", null, null, null, true)));
            }
            case FILES -> files.complete(reader, line, candidates);
            case SUBCOMMANDS -> c.subcommands().forEach(s -> candidates.add(new Candidate(s)));
            case COMMANDS -> {
                commands.names().forEach(n -> candidates.add(new Candidate(n)));
                c.subcommands().forEach(s -> candidates.add(new Candidate(s)));
            }
            case NONE -> { }
        }
    }

    private void models(List<Candidate> candidates) {
        for (ModelSpec m : session.latestModels()) {
            candidates.add(new Candidate(m.name(), m.name(), "models", null, null, null, true));
        }
    }

    private void java(ParsedLine line, List<Candidate> candidates) {
        if (session.workspace().fromCache()) {
            // the session is still being warmed in the background: no Java completion until it is ready
            return;
        }
        try {
            String text = line.line().substring(0, line.cursor());
            int[] anchor = new int[1];
            session.workspace().runner().analysis().completionSuggestions(text, text.length(), anchor)
                    .forEach(s -> {
                        // JLine replaces the whole word: keep the word's part before JShell's anchor
                        int wordStart = line.cursor() - line.wordCursor();
                        String head = anchor[0] > wordStart ? text.substring(wordStart, anchor[0]) : "";
                        candidates.add(new Candidate(head + s.continuation(), s.continuation(), "java", null, null,
                                null, false));
                    });
        } catch (RuntimeException ignored) {
            // completion is best effort; a half-typed snippet may not analyse
        }
    }
}
