package dcm.core.plan;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alias view of a model: its bare name reads the latest version's table ({@code CREATE VIEW Users AS SELECT *
 * FROM Users_1_0}).
 */
final class AliasView {
    /** An optionally qualified, optionally quoted name after FROM. */
    private static final Pattern FROM = Pattern.compile(
            "(?i)\\bFROM\\s+(?:(?:`(?:[^`\\\\]|\\\\.)*`|\\w+)\\.)?(`(?:[^`\\\\]|\\\\.)*`|\\w+)");

    private AliasView() {}

    /**
     * The table a view reads, from its CREATE statement as the server reports it, or empty. The server lists the
     * view's columns before {@code AS SELECT}, and a column may be named {@code from}: the source is the last
     * {@code FROM <name>}, the one of the {@code SELECT * FROM db.table} at the end.
     */
    static String source(String createQuery) {
        Matcher m = FROM.matcher(createQuery == null ? "" : createQuery);
        String last = "";
        while (m.find()) {
            last = m.group(1);
        }
        return last.startsWith("`") ? last.substring(1, last.length() - 1).replaceAll("\\\\(.)", "$1") : last;
    }
}
