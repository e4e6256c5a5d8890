package dcm.app;

import dcm.core.ModelSpec;
import dcm.core.versions.Mapping;
import dcm.core.versions.MappingFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The mapping files of a project, {@code migrations/<Model>__<from>__<to>.sql}: where each step's file is, which
 * exist, and writing a step's generated mapping for the user to own (never over an existing file).
 */
public final class MappingFiles {
    /** The folder of the mapping files, inside the project. */
    public static final String DIR = "migrations";

    private MappingFiles() {}

    /** {@code migrations/Users__1_0__1_1.sql}, as reported (relative to the project). */
    public static String relative(String model, String from, String to) {
        return DIR + "/" + MappingFile.name(model, from, to);
    }

    /** The file of one step. */
    public static Path path(Path projectDir, String model, String from, String to) {
        return projectDir.resolve(DIR).resolve(MappingFile.name(model, from, to));
    }

    /** The mapping files present, each with the step its name denotes. */
    public static List<MappingFile.Step> present(Path projectDir) {
        Path dir = projectDir.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<MappingFile.Step> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).sorted().forEach(n -> MappingFile.step(n).ifPresent(out::add));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Writes the mapping generated from {@code from} to {@code to} as the step's file, for the user to own; empty
     * (nothing written) when the file exists: it is the user's, and is never overwritten.
     */
    public static Optional<Path> writeGenerated(Path projectDir, ModelSpec from, ModelSpec to) {
        return write(projectDir, Mapping.generate(from, to), from, to);
    }

    /** Writes this mapping as the step's file unless the file exists (then empty). */
    public static Optional<Path> write(Path projectDir, Mapping m, ModelSpec from, ModelSpec to) {
        Path file = path(projectDir, to.name(), from.version(), to.version());
        String text = MappingFile.render(m, from, to, LocalDate.now().toString());
        try {
            Files.createDirectories(file.getParent());
            // CREATE_NEW: the check and the write are one step, so a file made meanwhile is not overwritten either
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            return Optional.of(file);
        } catch (FileAlreadyExistsException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
