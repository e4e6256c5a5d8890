package dcm.jshell;

import dcm.api.ModelRegistry;
import dcm.api.Resource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Timer;
import java.util.TimerTask;
import java.util.function.Consumer;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * One jdk.jshell session with local execution: model scripts and prompt snippets run in this JVM, so resources (and
 * mappings) they create reach {@link ModelRegistry} directly. Evaluation results come back as data (values and diagnostics), never
 * as exceptions.
 */
public final class SnippetRunner implements AutoCloseable {
    /** The imports every script and prompt line starts with. */
    public static final List<String> PRELUDE = List.of(
            "import dcm.api.*;", "import dcm.api.Stream;", "import dcm.core.LifeCycle;",
            "import static dcm.core.LifeCycle.*;", "import java.time.*;", "import java.util.*;",
            "import java.math.BigDecimal;");

    /**
     * What evaluating a piece of text produced: values to show, problems, the model resources and the mappings
     * between versions it created.
     */
    public record Outcome(List<String> values, List<Diagnostic> diagnostics, List<Created> resources,
                          List<CreatedMapping> mappings) {
        public boolean ok() {
            return diagnostics.isEmpty();
        }
    }

    /** A resource a snippet created, and the line where that snippet starts. */
    public record Created(Resource<?> resource, int line) {}

    /** A mapping between versions a snippet created, and the line where that snippet starts. */
    public record CreatedMapping(dcm.api.Mapping mapping, int line) {}

    /** Where a type was declared: a file (or {@code <prompt>}) and the line its declaration starts on. */
    public record Declared(String file, int line) {}

    private final JShell jshell;
    private final java.util.Map<String, Declared> declared = new java.util.concurrent.ConcurrentHashMap<>();
    private int currentLine;
    /** Why the evaluation running now was stopped (Ctrl-C, the watchdog), or null. */
    private volatile String stopReason;
    /** Whether a snippet is being evaluated now. */
    private volatile boolean evaluating;
    private final long timeoutMillis;

    private static final java.util.concurrent.atomic.AtomicInteger STARTED = new java.util.concurrent.atomic.AtomicInteger();

    /** How many sessions this JVM started (a load from the cache starts none until Java is needed). */
    public static int started() {
        return STARTED.get();
    }

    /** Starts a session whose compiler sees this program's own classes (the model API). */
    public SnippetRunner(long timeoutMillis) {
        STARTED.incrementAndGet();
        this.timeoutMillis = timeoutMillis;
        this.jshell = JShell.builder().executionEngine("local").build();
        jshell.addToClasspath(codeSource());
        for (String line : PRELUDE) {
            jshell.eval(line);
        }
    }

    /** Where the shell's own classes (the model API) are: the class path of every session. */
    static String codeSource() {
        try {
            return Path.of(Resource.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            return System.getProperty("java.class.path");
        }
    }

    /** Source analysis, for completion and for telling complete input from a continued line. */
    public SourceCodeAnalysis analysis() {
        return jshell.sourceCodeAnalysis();
    }

    /** True when {@code input} is a complete snippet (or several), false when more lines are needed. */
    public boolean isComplete(String input) {
        CompletionInfo ci = analysis().analyzeCompletion(input);
        return ci.completeness() != SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE
                && ci.completeness() != SourceCodeAnalysis.Completeness.CONSIDERED_INCOMPLETE;
    }

    /**
     * Evaluates every snippet of {@code text}, attributing diagnostics to {@code file}; keeps going after a failed
     * snippet so one run reports every problem.
     */
    public synchronized Outcome run(String file, String text) {
        return run(file, text, false);
    }

    /**
     * Evaluates a model script as {@link #run}, except that its expressions' values are not kept: an expression that
     * is a statement on its own (the usual {@code new OlapTable<>(...)...;}) runs as a statement, which JShell
     * compiles once instead of analysing it for the type of a {@code $N} variable first, about half the cost. The
     * outcome's values stay empty; anything the statement form refuses is evaluated as written, so problems are
     * reported as they were.
     */
    public synchronized Outcome runScript(String file, String text) {
        return run(file, text, true);
    }

    private Outcome run(String file, String text, boolean script) {
        SourceText src = new SourceText(text);
        List<String> values = new ArrayList<>();
        List<Diagnostic> diags = new ArrayList<>();
        List<Created> resources = new ArrayList<>();
        List<CreatedMapping> mappings = new ArrayList<>();
        Consumer<Resource<?>> sink = r -> resources.add(new Created(r, currentLine));
        ModelRegistry.install(sink);
        ModelRegistry.installMappings(m -> mappings.add(new CreatedMapping(m, currentLine)));
        try {
            int pos = 0;
            String remaining = text;
            while (!remaining.isBlank()) {
                CompletionInfo ci = analysis().analyzeCompletion(remaining);
                int consumed = remaining.length() - ci.remaining().length();
                if (ci.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                    break;
                }
                if (!ci.completeness().isComplete()) {
                    diags.add(diag(file, src, src.skipTrivia(pos), "incomplete code: a ';', ')' or '}' is missing"
                            + " before the end of the input"));
                    break;
                }
                // source() is the input from pos on (leading blanks included), so its offsets map from pos
                currentLine = src.line(src.skipTrivia(pos));
                evalOne(ci.source(), file, src, pos, values, diags, script);
                pos += consumed;
                remaining = ci.remaining();
            }
        } finally {
            ModelRegistry.install(null);
            ModelRegistry.installMappings(null);
        }
        return new Outcome(values, diags, resources, mappings);
    }

    /** Code that would end the whole JVM, and the shell with it (snippets run in the shell's own JVM). */
    private static final java.util.regex.Pattern EXIT = java.util.regex.Pattern.compile(
            "(\\bSystem\\s*::\\s*exit\\b|\\bRuntime\\s*::\\s*(exit|halt)\\b|\\.\\s*(exit|halt)\\s*\\()");
    /** String and char literals, blanked before the check (a message mentioning System.exit is no call). */
    private static final java.util.regex.Pattern LITERALS = java.util.regex.Pattern.compile(
            "\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'");

    /** Whether {@code source} calls something that would end the JVM, and the shell with it. */
    static boolean wouldEndShell(String source) {
        return EXIT.matcher(LITERALS.matcher(source).replaceAll(m -> " ".repeat(m.group().length()))).find();
    }

    private void evalOne(String source, String file, SourceText src, int start, List<String> values,
                         List<Diagnostic> diags, boolean script) {
        String code = LITERALS.matcher(source).replaceAll(m -> " ".repeat(m.group().length()));
        java.util.regex.Matcher exit = EXIT.matcher(code);
        if (exit.find()) {
            diags.add(diag(file, src, start + exit.start(), "not run: " + exit.group(1).replaceAll("[\\s(.]", "")
                    + " would end the shell (snippets run inside it); leave with `exit`"));
            return;
        }
        stopReason = null;
        // a script's expression values are not shown: one that is a statement runs as one (compiled once, where
        // an expression is first analysed for the type of its $N variable); what JShell refuses so runs as written
        String asStatement = script ? asStatement(source) : null;
        List<SnippetEvent> events = null;
        boolean wrapped = false;
        if (asStatement != null) {
            wrapped = true;
            events = withTimeout(() -> jshell.eval(asStatement));
            if (stopReason == null && events.stream().anyMatch(e -> e.causeSnippet() == null
                    && e.status() == Snippet.Status.REJECTED)) {
                events = null; // not a statement after all: evaluated as written below, for its diagnostics
                wrapped = false;
            }
        }
        if (events == null) {
            events = withTimeout(() -> jshell.eval(source));
        }
        String stopped = stopReason;
        if (stopped != null) {
            // a stopped evaluation comes back as if it had ended: say that it did not
            diags.add(diag(file, src, src.skipTrivia(start), stopped));
            return;
        }
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue;
            }
            Snippet s = e.snippet();
            if (e.status() == Snippet.Status.REJECTED) {
                jshell.diagnostics(s).filter(jdk.jshell.Diag::isError).forEach(d -> diags.add(
                        diag(file, src, start + (int) Math.max(0, d.getPosition()), d.getMessage(Locale.ROOT))));
            } else if (e.exception() != null) {
                // an expression's exception is reported at its first line (its $N variable's frame says no more):
                // so is that of the same expression run as a statement
                diags.add(exceptionDiag(file, src, start, wrapped ? null : s.id(), e.exception()));
            } else if (s instanceof DeclarationSnippet ds && (e.status() == Snippet.Status.RECOVERABLE_DEFINED
                    || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED)) {
                diags.add(diag(file, src, src.skipTrivia(start), "cannot find symbol: "
                        + String.join(", ", jshell.unresolvedDependencies(ds).toList())));
            } else if (e.value() != null) {
                values.add(display(s, e.value()));
            }
            if (s instanceof jdk.jshell.TypeDeclSnippet t && e.status() == Snippet.Status.VALID) {
                declared.put(t.name(), new Declared(file, src.line(src.skipTrivia(start))));
            }
        }
    }

    /**
     * {@code source} as a block statement when it looks like an expression statement (a {@code new ...} or a call,
     * plain or qualified, at its start), else null; asking JShell to parse it would cost as much as it saves. What is
     * not a statement after all is refused by JShell and evaluated as written. The brace goes right before the code,
     * so its lines (JShell numbers a snippet's lines from its first code line) are those of the source.
     */
    static String asStatement(String source) {
        String code = source.substring(new SourceText(source).skipTrivia(0)).strip();
        if (!STATEMENT_START.matcher(code).lookingAt()) {
            return null;
        }
        return "{" + code + (code.endsWith(";") ? "" : ";") + "\n}";
    }

    /** A {@code new}, or a name (qualified or not) followed by {@code (}: how a creating expression starts. */
    private static final java.util.regex.Pattern STATEMENT_START = java.util.regex.Pattern.compile(
            "new\\s|[\\p{L}_$][\\p{L}\\p{N}_$]*(\\s*\\.\\s*[\\p{L}_$][\\p{L}\\p{N}_$]*)*\\s*\\(");

    /** Where the type with this simple name was last declared, if in this session. */
    public java.util.Optional<Declared> declaredAt(String simpleName) {
        return java.util.Optional.ofNullable(declared.get(simpleName));
    }

    private static String display(Snippet s, String value) {
        String name = s instanceof VarSnippet v ? v.name() : "$" + s.id();
        return name + " ==> " + value;
    }

    private Diagnostic exceptionDiag(String file, SourceText src, int start, String snippetId,
                                     JShellException ex) {
        String what;
        if (ex instanceof UnresolvedReferenceException ure) {
            what = "uses " + ure.getSnippet() + " which is not defined";
        } else if (ex instanceof EvalException ee) {
            what = ee.getExceptionClassName().replaceFirst("^java\\.lang\\.", "")
                    + (ee.getMessage() == null ? "" : ": " + ee.getMessage());
        } else {
            what = String.valueOf(ex.getMessage());
        }
        int offset = src.skipTrivia(start);
        for (StackTraceElement el : ex.getStackTrace()) {
            if (("#" + snippetId).equals(el.getFileName()) && el.getLineNumber() > 0) {
                offset = lineOffset(el.getLineNumber(), start, src);
                break;
            }
        }
        return diag(file, src, offset, "threw " + what);
    }

    /** Offset of a line of a snippet's stack frame: JShell numbers lines from the snippet's first code line. */
    private static int lineOffset(int lineInSnippet, int start, SourceText src) {
        return src.lineStart(src.skipTrivia(start), lineInSnippet - 1);
    }

    private static Diagnostic diag(String file, SourceText src, int offset, String message) {
        return new Diagnostic(file, src.line(offset), src.column(offset), src.lineText(offset), message);
    }

    private List<SnippetEvent> withTimeout(java.util.function.Supplier<List<SnippetEvent>> work) {
        Timer timer = new Timer("jshell-watchdog", true);
        timer.schedule(new TimerTask() {
            @Override
            public void run() {
                stopReason = "stopped after " + timeoutMillis / 1000 + " s: the snippet did not end";
                jshell.stop();
            }
        }, timeoutMillis);
        evaluating = true;
        try {
            return work.get();
        } finally {
            evaluating = false;
            timer.cancel();
        }
    }

    /** Stops the snippet being evaluated now (Ctrl-C); false, doing nothing, when none runs. */
    public boolean stop() {
        if (!evaluating) {
            return false;
        }
        stopReason = "stopped (Ctrl-C)";
        jshell.stop();
        return true;
    }

    @Override
    public void close() {
        jshell.close();
    }
}
