package dcm.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * What every case gets: the checkout (its {@code ./shell}), the environment that points a project at the servers
 * under test, the seed, and fresh projects with databases of their own.
 */
public final class Suite {
    private final Path home;
    private final Map<String, String> serverEnv;
    private final long seed;
    private final boolean shortForm;
    private final Path tmp;
    private Guard guard;

    Suite(Path home, Map<String, String> serverEnv, long seed, boolean shortForm) {
        this.home = home;
        this.serverEnv = Map.copyOf(serverEnv);
        this.seed = seed;
        this.shortForm = shortForm;
        try {
            this.tmp = Files.createDirectories(home.resolve("target").resolve("reliability"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path home() {
        return home;
    }

    public Map<String, String> serverEnv() {
        return serverEnv;
    }

    public long seed() {
        return seed;
    }

    public boolean shortForm() {
        return shortForm;
    }

    /** A folder under target/reliability for a case's own use. */
    public Path folder(String prefix) {
        try {
            return Files.createTempDirectory(tmp, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh project (folder, database {@code rel_<prefix>_<n>}, topic namespace) on the servers under test. */
    public Project project(String prefix) {
        String db = "rel_" + prefix + "_" + Long.toString(System.nanoTime(), 36);
        return new Project(home, folder(prefix), db, serverEnv);
    }

    /** The bad-input cases' shared guard project, set up on first use. */
    synchronized Guard guard() {
        if (guard == null) {
            guard = new Guard(this, "guard");
        }
        return guard;
    }

    /** Closes what the cases shared. */
    synchronized void close() {
        if (guard != null) {
            guard.close();
            guard = null;
        }
    }

    /** The random draws of one case: the same for a seed whatever other cases run before it. */
    public Random random(String caseName) {
        // mixed first: java.util.Random's first draws from nearby seeds are alike (seeds 1..12 all chose the same)
        return new Random(new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L + caseName.hashCode()).nextLong());
    }
}
