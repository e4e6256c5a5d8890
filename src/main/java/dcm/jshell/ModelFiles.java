package dcm.jshell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/** A project's model scripts ({@code models/*.jsh}) and checksums of their content, to tell which changed. */
final class ModelFiles {
    private ModelFiles() {}

    /** The model scripts, in name order. */
    static List<Path> list(Path projectDir) {
        Path dir = projectDir.resolve("models");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jsh")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A checksum of each file's content, by path relative to the project (an unreadable file never matches). */
    static Map<String, Long> fingerprints(Path projectDir, List<Path> files) {
        Map<String, Long> out = new HashMap<>();
        for (Path f : files) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            try {
                crc.update(Files.readAllBytes(f));
                out.put(projectDir.relativize(f).toString(), crc.getValue());
            } catch (IOException e) {
                out.put(projectDir.relativize(f).toString(), -1L);
            }
        }
        return out;
    }

    /**
     * Every model script's bytes, by path relative to the project, in name order, read once: what is evaluated, what
     * the load cache's key covers and what {@link #fingerprints(Map)} checks later are the same bytes. An unreadable
     * file maps to null.
     */
    static Map<String, byte[]> read(Path projectDir) {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        for (Path f : list(projectDir)) {
            String rel = projectDir.relativize(f).toString();
            try {
                out.put(rel, Files.readAllBytes(f));
            } catch (IOException e) {
                out.put(rel, null);
            }
        }
        return out;
    }

    /** The checksums of contents read by {@link #read} (an unreadable file never matches). */
    static Map<String, Long> fingerprints(Map<String, byte[]> contents) {
        Map<String, Long> out = new HashMap<>();
        contents.forEach((rel, bytes) -> {
            if (bytes == null) {
                out.put(rel, -1L);
            } else {
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(bytes);
                out.put(rel, crc.getValue());
            }
        });
        return out;
    }

    /** The files added, removed or edited between two sets of checksums, in name order. */
    static List<String> changed(Map<String, Long> before, Map<String, Long> now) {
        TreeSet<String> changed = new TreeSet<>();
        now.forEach((f, h) -> {
            if (!h.equals(before.get(f))) {
                changed.add(f);
            }
        });
        before.keySet().stream().filter(f -> !now.containsKey(f)).forEach(changed::add);
        return List.copyOf(changed);
    }
}
