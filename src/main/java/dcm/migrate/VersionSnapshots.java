package dcm.migrate;

import com.fasterxml.jackson.core.type.TypeReference;
import dcm.core.ModelSpec;
import dcm.core.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The frozen versions of a project's models: one reviewable JSON file per version, {@code versions/<version>.json},
 * holding every model's spec as it was when the version was bumped. Loaded without git and without evaluating any
 * script (cheap), so old versions stay planned exactly as they were.
 */
public final class VersionSnapshots {
    /** The folder of the snapshots, inside the project. */
    public static final String DIR = "versions";
    private static final TypeReference<List<ModelSpec>> MODELS = new TypeReference<>() {};
    private final Path dir;

    public VersionSnapshots(Path projectDir) {
        this.dir = projectDir.resolve(DIR);
    }

    /** The file of one version. */
    public Path file(String version) {
        return dir.resolve(Names.requireVersion(version) + ".json");
    }

    /** Writes the models of a version (every one of them must be of that version). */
    public Path save(String version, List<ModelSpec> models) {
        models.stream().filter(m -> !m.version().equals(version)).findFirst().ifPresent(m -> {
            throw new IllegalArgumentException("model " + m.ref() + " is not of version " + version);
        });
        Path file = file(version);
        try {
            Files.createDirectories(dir);
            Files.write(file, PlanJson.MAPPER.writerFor(MODELS).writeValueAsBytes(models));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The models of a version, read from its file. */
    public List<ModelSpec> load(String version) {
        Path file = file(version);
        try {
            return PlanJson.MAPPER.readValue(Files.readAllBytes(file), MODELS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the snapshot of version " + version + " (" + file + "): "
                    + e.getMessage(), e);
        }
    }

    /** The versions that have a snapshot file, in order (1.9 before 1.10); nothing is read. */
    public List<String> versions() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).filter(Names::isValidVersion)
                    .sorted(Names::compareVersions).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Every snapshot, by version in order (1.9 before 1.10). */
    public Map<String, List<ModelSpec>> all() {
        Map<String, List<ModelSpec>> out = new TreeMap<>(Names::compareVersions);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                String v = f.getFileName().toString().replaceFirst("\\.json$", "");
                if (Names.isValidVersion(v)) {
                    out.put(v, load(v));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
