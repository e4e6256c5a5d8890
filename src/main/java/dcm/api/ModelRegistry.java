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
    /** Sinks of one thread, which win over the shared ones there: what runs scripts outside JShell uses them. */
    private static final ThreadLocal<Consumer<Resource<?>>> THREAD_SINK = new ThreadLocal<>();
    private static final ThreadLocal<Consumer<Mapping>> THREAD_MAPPING_SINK = new ThreadLocal<>();

    private ModelRegistry() {}

    /** Installs the sink that receives every resource created from now on; null removes it. */
    public static void install(Consumer<Resource<?>> newSink) {
        sink = newSink;
    }

    /** Installs the sink that receives every {@link Mapping} created from now on; null removes it. */
    public static void installMappings(Consumer<Mapping> newSink) {
        mappingSink = newSink;
    }

    /**
     * Installs sinks for the calling thread only (null removes them): what that thread creates goes there and never
     * to the shared sinks, so a thread given up on (a timed-out compiled load) cannot reach JShell's.
     */
    public static void installForThread(Consumer<Resource<?>> resources, Consumer<Mapping> mappings) {
        if (resources == null) {
            THREAD_SINK.remove();
            THREAD_MAPPING_SINK.remove();
        } else {
            THREAD_SINK.set(resources);
            THREAD_MAPPING_SINK.set(mappings);
        }
    }

    static void register(Mapping mapping) {
        Consumer<Mapping> t = THREAD_MAPPING_SINK.get();
        Consumer<Mapping> s = t != null ? t : mappingSink;
        if (s != null) {
            s.accept(mapping);
        }
    }

    static void register(Resource<?> resource) {
        Consumer<Resource<?>> t = THREAD_SINK.get();
        Consumer<Resource<?>> s = t != null ? t : sink;
        if (s != null) {
            s.accept(resource);
        }
    }
}
