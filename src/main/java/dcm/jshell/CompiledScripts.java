package dcm.jshell;

import dcm.api.ModelRegistry;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The first load of a project that has no cached load: every model script compiled by one javac run and run once,
 * instead of one JShell compilation per snippet (about 25 ms each: 100 model files took 3 s). Only what it can run
 * exactly as JShell would is run so: type declarations and statements ({@link ScriptChunks}), the types top-level
 * (none reads another's private members), the statements in order in one method (none returns), nothing named before
 * it is declared. Anything else, a compile error, an exception or a script that would end the shell gives
 * {@link Optional#empty()}, and the caller evaluates with JShell, which says precisely what is wrong. The JShell
 * session the prompt needs is still evaluated, later, as after a load from the cache, and compared with what this
 * gave; what changes data (apply, a saved plan, bump) waits for that evaluation ({@link ModelWorkspace#verified}).
 */
final class CompiledScripts {
    /** What the scripts created: each file's definitions, and the mappings. */
    record Result(Map<String, Assembly.FileDefs> byFile, ScriptMappings mappings) {}

    private static final String MODELS = "$dcm$Models";
    private static final java.util.regex.Pattern RETURN = java.util.regex.Pattern.compile("\\breturn\\b");
    private static final java.util.regex.Pattern WORD = java.util.regex.Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*");
    /** The class whose fields say which file and line the statement running now comes from. */
    private static final String MARKS = "$dcm$Marks";
    private final List<String> files = new ArrayList<>();
    private final List<List<SnippetRunner.Created>> created = new ArrayList<>();
    private final List<List<SnippetRunner.CreatedMapping>> mappings = new ArrayList<>();

    private CompiledScripts() {}

    /**
     * The scripts of {@code contents} (in load order) compiled and run at once, or empty when they must go through
     * JShell; a run longer than {@code timeoutMillis} gives up.
     */
    static Optional<Result> evaluate(Map<String, byte[]> contents, long timeoutMillis) {
        try {
            return new CompiledScripts().run(contents, timeoutMillis);
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    private Optional<Result> run(Map<String, byte[]> contents, long timeoutMillis) {
        Optional<String> source = source(contents);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        Map<String, byte[]> classes = InMemoryJavac.compile(source.get());
        if (classes == null) {
            return Optional.empty();
        }
        if (!execute(classes, timeoutMillis)) {
            return Optional.empty();
        }
        Map<String, Assembly.FileDefs> byFile = new LinkedHashMap<>();
        ScriptMappings scriptMappings = new ScriptMappings();
        for (int f = 0; f < files.size(); f++) {
            String rel = files.get(f);
            byFile.put(rel, new Assembly.FileDefs(rel, Evaluation.definitions(created.get(f), rel), false, Set.of()));
            scriptMappings.loaded(rel, mappings.get(f));
        }
        return Optional.of(new Result(byFile, scriptMappings));
    }

    /**
     * The one compilation unit of every script: their types top-level, their statements in order in
     * one method (so a variable is seen by the files after it, as in JShell). Empty when a script cannot be run this
     * way, or when anything names a type declared after it: JShell would refuse to run it until then, one class would
     * not.
     */
    private Optional<String> source(Map<String, byte[]> contents) {
        StringBuilder types = new StringBuilder();
        StringBuilder statements = new StringBuilder();
        Set<String> declared = new HashSet<>();
        Set<String> mentioned = new HashSet<>();
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            Optional<String> text = utf8(e.getValue());
            if (text.isEmpty() || SnippetRunner.wouldEndShell(text.get())) {
                return Optional.empty();
            }
            Optional<List<ScriptChunks.Chunk>> chunks = ScriptChunks.of(text.get());
            if (chunks.isEmpty()) {
                return Optional.empty();
            }
            int file = files.size();
            files.add(e.getKey());
            created.add(new ArrayList<>());
            mappings.add(new ArrayList<>());
            for (ScriptChunks.Chunk c : chunks.get()) {
                if (c.kind() == ScriptChunks.Kind.TYPE) {
                    // declared again (JShell replaces it) or named before its declaration
                    if (!declared.add(c.typeName()) || mentioned.contains(c.typeName())) {
                        return Optional.empty();
                    }
                    // top-level, as JShell's are apart: no type reads another's private members
                    types.append(c.text()).append('\n');
                } else {
                    if (RETURN.matcher(c.text()).find()) {
                        return Optional.empty(); // JShell refuses a top-level return; here it would end the run
                    }
                    statements.append(MARKS).append(".file = ").append(file).append("; ").append(MARKS)
                            .append(".line = ").append(c.line()).append(";\n").append(c.text()).append('\n');
                }
                Matcher w = WORD.matcher(c.text());
                while (w.find()) {
                    mentioned.add(w.group());
                }
            }
        }
        StringBuilder unit = new StringBuilder();
        SnippetRunner.PRELUDE.forEach(line -> unit.append(line).append('\n'));
        unit.append("final class ").append(MARKS).append(" { static int file, line; }\n")
                .append(types).append("final class ").append(MODELS).append(" {\n")
                .append("static void $dcm$run() throws Throwable {\n").append(statements).append("}\n}\n");
        return Optional.of(unit.toString());
    }

    private static Optional<String> utf8(byte[] bytes) {
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** Runs the statements on a thread of its own; false on any exception or when it takes too long. */
    private boolean execute(Map<String, byte[]> classes, long timeoutMillis) {
        ClassLoader loader = new ClassLoader(CompiledScripts.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = classes.get(name);
                if (b == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, b, 0, b.length);
            }
        };
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(() -> failed[0] = runSegments(loader), "models-compiled");
        t.setDaemon(true);
        t.start();
        try {
            t.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (t.isAlive()) {
            t.interrupt();
            return false;
        }
        return failed[0] == null;
    }

    /** Runs the statements with the registry's sinks installed; returns what went wrong, or null. */
    private Throwable runSegments(ClassLoader loader) {
        try {
            Class<?> marks = loader.loadClass(MARKS);
            Field file = marks.getDeclaredField("file");
            Field line = marks.getDeclaredField("line");
            file.setAccessible(true);
            line.setAccessible(true);
            // this thread's own sinks: given up on (too long), it never reaches the sinks of JShell's evaluation
            ModelRegistry.installForThread(r -> created.get(at(file)).add(new SnippetRunner.Created(r, at(line))),
                    m -> mappings.get(at(file)).add(new SnippetRunner.CreatedMapping(m, at(line))));
            Method run = loader.loadClass(MODELS).getDeclaredMethod("$dcm$run");
            run.setAccessible(true);
            run.invoke(null);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return e;
        } finally {
            ModelRegistry.installForThread(null, null);
        }
    }

    private static int at(Field f) {
        try {
            return f.getInt(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** javac over one source text, writing the classes to memory. */
    static final class InMemoryJavac {
        private InMemoryJavac() {}

        /** The classes of {@code source} by binary name, or null when it does not compile (or no javac). */
        static Map<String, byte[]> compile(String source) {
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac == null) {
                return null;
            }
            Map<String, ByteArrayOutputStream> out = new HashMap<>();
            JavaFileManager files = new ForwardingJavaFileManager<>(
                    javac.getStandardFileManager(d -> { }, Locale.ROOT, StandardCharsets.UTF_8)) {
                @Override
                public JavaFileObject getJavaFileForOutput(Location location, String className,
                                                           JavaFileObject.Kind kind, FileObject sibling) {
                    return new SimpleJavaFileObject(URI.create("mem:///" + className + kind.extension), kind) {
                        @Override
                        public OutputStream openOutputStream() {
                            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                            out.put(className, bytes);
                            return bytes;
                        }
                    };
                }
            };
            JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///Models.java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            };
            // the same class path as the JShell sessions: the shell's own classes (the model API) and the JDK
            List<String> options = List.of("-classpath", SnippetRunner.codeSource(), "-proc:none",
                    "-implicit:none", "-g:none", "-nowarn", "-Xlint:none");
            Boolean ok = javac.getTask(java.io.Writer.nullWriter(), files, d -> { }, options, null, List.of(unit))
                    .call();
            if (!Boolean.TRUE.equals(ok)) {
                return null;
            }
            Map<String, byte[]> classes = new HashMap<>();
            out.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
            return classes;
        }
    }
}
