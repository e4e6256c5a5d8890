package dcm.jshell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which build of the shell runs: a SHA-256 of its own classes (the jar, or every file of the class folder in a
 * development build) and of the Java runtime's version. Any change to the shell's code gives another id, so what a
 * former build cached is never taken for what this one would evaluate.
 */
public final class ShellBuild {
    private static volatile String id;

    private ShellBuild() {}

    /** This build's id (computed once: a few milliseconds for the jar). */
    public static String id() {
        String known = id;
        if (known == null) {
            known = compute();
            id = known;
        }
        return known;
    }

    private static String compute() {
        MessageDigest sha = sha256();
        sha.update(("java " + Runtime.version() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            Path code = Path.of(ShellBuild.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(code)) {
                try (Stream<Path> files = Files.walk(code)) {
                    List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
                    for (Path f : sorted) {
                        sha.update((code.relativize(f) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        sha.update(Files.readAllBytes(f));
                    }
                }
            } else {
                sha.update(Files.readAllBytes(code));
            }
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            // no readable code source: an id no cache was ever written with, so nothing cached is trusted
            return "unknown-" + System.nanoTime();
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
