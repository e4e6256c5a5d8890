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
