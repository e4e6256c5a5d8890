package dcm.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shell itself is installed (the folder with {@code shell} and {@code scripts/}). */
public final class ToolHome {
    private ToolHome() {}

    /** {@code -Ddcm.home}, else the folder above {@code target/} that holds this code. */
    public static Path get() {
        String prop = System.getProperty("dcm.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        try {
            Path code = Path.of(ToolHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = code; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("scripts/kafka/pom.xml"))) {
                    return p;
                }
            }
        } catch (Exception ignored) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
