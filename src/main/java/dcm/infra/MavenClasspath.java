package dcm.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A child JVM's runtime classpath (the local Kafka broker's, ZooKeeper's), resolved once from Maven Central with
 * {@code mvn dependency:build-classpath} over a small pom under {@code scripts/}, cached in a file that is made
 * again when the pom is newer.
 */
final class MavenClasspath {
    private MavenClasspath() {}

    /**
     * The classpath of {@code pom}'s runtime dependencies, cached in {@code cache}; {@code what} names the server in
     * errors ("the Kafka broker").
     */
    static String resolve(Path pom, Path cache, Path log, String what) throws IOException, InterruptedException {
        if (!Files.exists(cache) || Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(pom)) < 0) {
            Path mvn = Processes.which("mvn");
            if (mvn == null) {
                throw new IllegalStateException("Maven (mvn) is needed once to fetch " + what + "'s jars;"
                        + " install it with: apt-get install -y maven");
            }
            Files.createDirectories(cache.getParent());
            int rc = Processes.run(List.of(mvn.toString(), "-q", "-B", "-f", pom.toString(),
                    "dependency:build-classpath", "-DincludeScope=runtime", "-Dmdep.outputFile=" + cache), log, 600);
            if (rc != 0 || !Files.exists(cache)) {
                throw new IllegalStateException("resolving " + what + "'s jars failed (exit " + rc + "):\n"
                        + Processes.tail(log, 15));
            }
        }
        return Files.readString(cache).trim();
    }

    /** The java launcher of the running JVM. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
