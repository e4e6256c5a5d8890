package dcm.jshell;

import com.fasterxml.jackson.core.type.TypeReference;
import dcm.api.ModelAssembler;
import dcm.core.ModelSpec;
import dcm.core.versions.MappingEdit;
import dcm.migrate.PlanJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What evaluating a project's model scripts produced, kept in {@code .moose/model-cache.json} so that an unchanged
 * project starts without compiling. The key is a SHA-256 of everything the evaluation depends on: the cache format,
 * the shell's build ({@link ShellBuild}), the prelude every script starts with, and every model file's name and
 * bytes together (files share declarations, so one changed file invalidates all). Under one key, one entry per
 * assembly settings (version, namespace, retention, dialect): the models and mappings that a complete load with
 * those settings gave. Only complete loads without any problem are written. A cache that cannot be read, has another
 * format or another key is ignored (and replaced at the next complete load): it is never an error.
 *
 * <p>What the key cannot see is not covered: a script whose result depends on something other than its text (the
 * clock, the environment, a file it reads) is cached as evaluated once; {@code reload} evaluates again.
 */
public final class LoadCache {
    /** The cache file, inside the project. */
    public static final String FILE = ".moose/model-cache.json";
    private static final int FORMAT = 1;
    private static final int MAX_ENTRIES = 8;

    /** One complete load: its settings, models, mappings and how many files it came from. */
    public record Entry(ModelAssembler.Settings settings, List<ModelSpec> models, List<MappingEdit> mappings,
                        int files) {}

    /** The file's content: its format, key, and entries (newest first). */
    record Content(int format, String key, List<Entry> entries) {}

    private static final TypeReference<Content> CONTENT = new TypeReference<>() {};
    private final Path file;
    private final String build;

    /** The cache of a project, for this build of the shell. */
    public LoadCache(Path projectDir) {
        this(projectDir, ShellBuild.id());
    }

    /** The cache of a project as the build {@code build} sees it (tests pretend another build so). */
    public LoadCache(Path projectDir, String build) {
        this.file = projectDir.resolve(FILE);
        this.build = build;
    }

    /** The cache file. */
    public Path file() {
        return file;
    }

    /** The key of the model files' contents (as {@link ModelFiles#read} gives them), for this build. */
    String key(Map<String, byte[]> contents) {
        MessageDigest sha = ShellBuild.sha256();
        text(sha, "format " + FORMAT);
        text(sha, "build " + build);
        text(sha, "prelude " + String.join("\n", SnippetRunner.PRELUDE));
        contents.forEach((rel, bytes) -> {
            text(sha, "file " + rel);
            if (bytes == null) {
                text(sha, "unreadable " + System.nanoTime());
            } else {
                text(sha, "bytes " + bytes.length);
                sha.update(bytes);
            }
        });
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void text(MessageDigest sha, String s) {
        sha.update((s + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The complete load cached under this key with these settings, if any (a broken cache file: none). */
    Optional<Entry> find(String key, ModelAssembler.Settings settings) {
        return read().filter(c -> c.key().equals(key)).flatMap(c -> c.entries().stream()
                .filter(e -> settings.equals(e.settings())).findFirst());
    }

    /**
     * Keeps a complete load under this key: it replaces the entry of the same settings, entries of another key go.
     * A cache that cannot be written is skipped silently: the next start evaluates, that is all.
     */
    void store(String key, Entry entry) {
        List<Entry> entries = new ArrayList<>();
        entries.add(entry);
        read().filter(c -> c.key().equals(key)).ifPresent(c -> c.entries().stream()
                .filter(e -> !entry.settings().equals(e.settings())).limit(MAX_ENTRIES - 1).forEach(entries::add));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
            Files.write(tmp, PlanJson.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature
                    .INDENT_OUTPUT).writeValueAsBytes(new Content(FORMAT, key, entries)));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // best effort by design: the cache only saves time
        }
    }

    private Optional<Content> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Content c = PlanJson.MAPPER.readValue(Files.readAllBytes(file), CONTENT);
            if (c == null || c.format() != FORMAT || c.key() == null || c.entries() == null
                    || c.entries().stream().anyMatch(e -> e == null || e.settings() == null || e.models() == null
                    || e.mappings() == null)) {
                return Optional.empty();
            }
            return Optional.of(c);
        } catch (IOException | RuntimeException e) {
            // a broken cache is ignored, and rewritten at the next complete load
            return Optional.empty();
        }
    }
}
