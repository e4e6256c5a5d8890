package dcm.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Edits {@code moose.config.toml} as text, so that the user's comments and layout stay: what {@code bump} writes
 * ({@code [project] version}, an entry of {@code [supported_old_versions]}) and what {@code retire} removes (that
 * entry). tomlj reads but does not write.
 */
public final class ConfigEdit {
    private static final Pattern SECTION = Pattern.compile("^\\s*\\[([A-Za-z0-9_.]+)]\\s*(#.*)?$");
    private static final Pattern VERSION = Pattern.compile("^(\\s*version\\s*=\\s*)\"[^\"]*\"(.*)$");

    private ConfigEdit() {}

    /**
     * The text with {@code [project] version} set to {@code next} and {@code "old" = "commit"} in
     * {@code [supported_old_versions]} (the section is added at the end when missing; an entry for {@code old}
     * already there is replaced).
     */
    public static String bump(String toml, String old, String commit, String next) {
        List<String> lines = new ArrayList<>(toml.lines().toList());
        String section = "";
        boolean versionSet = false;
        int oldVersions = -1;
        for (int i = 0; i < lines.size(); i++) {
            Matcher s = SECTION.matcher(lines.get(i));
            if (s.matches()) {
                section = s.group(1);
                if (section.equals("supported_old_versions")) {
                    oldVersions = i;
                }
                continue;
            }
            Matcher v = VERSION.matcher(lines.get(i));
            if (section.equals("project") && v.matches()) {
                lines.set(i, v.group(1) + quote(next) + v.group(2));
                versionSet = true;
            }
            if (section.equals("supported_old_versions") && lines.get(i).strip().startsWith(quote(old))) {
                lines.remove(i--);
            }
        }
        if (!versionSet) {
            throw new IllegalArgumentException("moose.config.toml has no [project] version to change");
        }
        String entry = quote(old) + " = " + quote(commit);
        if (oldVersions < 0) {
            lines.add("");
            lines.add("[supported_old_versions]");
            lines.add(entry);
        } else {
            lines.add(oldVersions + 1, entry);
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * The text without {@code version}'s entry in {@code [supported_old_versions]} (written {@code "1.0" = ...} or
     * {@code '1.0' = ...}); every other line, comments included, stays as it was.
     *
     * @throws IllegalArgumentException when the section has no entry for {@code version}
     */
    public static String retire(String toml, String version) {
        List<String> lines = new ArrayList<>(toml.lines().toList());
        Pattern entry = Pattern.compile("^\\s*([\"'])" + Pattern.quote(version) + "\\1\\s*=.*$");
        String section = "";
        boolean removed = false;
        for (int i = 0; i < lines.size(); i++) {
            Matcher s = SECTION.matcher(lines.get(i));
            if (s.matches()) {
                section = s.group(1);
            } else if (section.equals("supported_old_versions") && entry.matcher(lines.get(i)).matches()) {
                lines.remove(i--);
                removed = true;
            }
        }
        if (!removed) {
            throw new IllegalArgumentException("moose.config.toml has no entry \"" + version + "\" in"
                    + " [supported_old_versions] to remove");
        }
        return String.join("\n", lines) + "\n";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
