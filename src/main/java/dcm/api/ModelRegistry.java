package dcm.api;

import java.util.function.Consumer;

/**
 * Where DSL resources (and mappings between versions) announce themselves. The model loader installs a sink while it evaluates a script (snippets
 * run on JShell's execution thread, so this is a plain static hand-off, not a thread-local); with no sink installed
 * resources are simply not recorded.
 */
public final class ModelRegistry {
    private static volatile Consumer<Resource<?>> sink;
    private static volatile Consumer<Mapping> mappingSink;

    private ModelRegistry() {}

    /** Installs the sink that receives every resource created from now on; null removes it. */
    public static void install(Consumer<Resource<?>> newSink) {
        sink = newSink;
    }

    /** Installs the sink that receives every {@link Mapping} created from now on; null removes it. */
    public static void installMappings(Consumer<Mapping> newSink) {
        mappingSink = newSink;
    }

    static void register(Mapping mapping) {
        Consumer<Mapping> s = mappingSink;
        if (s != null) {
            s.accept(mapping);
        }
    }

    static void register(Resource<?> resource) {
        Consumer<Resource<?>> s = sink;
        if (s != null) {
            s.accept(resource);
        }
    }
}
