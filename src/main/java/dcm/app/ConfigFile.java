package dcm.app;

import dcm.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads and replaces {@code moose.config.toml} as text; a replacement is whole or not at all (a rename). */
final class ConfigFile {
    private ConfigFile() {}

    /** The config file of a project. */
    static Path of(Path projectDir) {
        return projectDir.resolve(ConfigLoader.FILE);
    }

    static String read(Path projectDir) throws IOException {
        return Files.readString(of(projectDir));
    }

    /** Writes the text next to the file, then renames it over the file: a reader never sees half of it. */
    static void write(Path projectDir, String text) throws IOException {
        Path file = of(projectDir);
        Path tmp = file.resolveSibling(ConfigLoader.FILE + ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
