package dcm.shell;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * A command's arguments, parsed against its {@link Syntax}: the raw text after the command name (for {@code sql}),
 * its options and its positional values. Only what the syntax declares gets here: an unknown option or a missing
 * value was already a usage error.
 */
public final class Args {
    private final String raw;
    private final Syntax syntax;
    private final CommandLine.ParseResult parsed;
    private final List<String> positional;

    private Args(String raw, Syntax syntax, CommandLine.ParseResult parsed, List<String> positional) {
        this.raw = raw;
        this.syntax = syntax;
        this.parsed = parsed;
        this.positional = List.copyOf(positional);
    }

    /** Splits a command line (the first word is the command) and parses the rest against the syntax. */
    public static Args parse(String line, Syntax syntax) {
        String trimmed = line.strip();
        int sp = firstSpace(trimmed);
        String raw = sp < 0 ? "" : trimmed.substring(sp + 1).strip();
        if (syntax.raw()) {
            return new Args(raw, syntax, null, raw.isEmpty() ? List.of() : List.of(raw));
        }
        CommandLine.ParseResult r = syntax.parse(split(raw));
        List<String> values = new ArrayList<>();
        r.matchedPositionals().forEach(p -> values.addAll(p.stringValues()));
        return new Args(raw, syntax, r, values);
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Shell-like word splitting with single and double quotes. */
    public static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : s.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
            }
        }
        if (any || cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    /** The text after the command name, as typed. */
    public String raw() {
        return raw;
    }

    /** The command's synopsis, for usage errors. */
    public String synopsis() {
        return syntax.synopsis();
    }

    /** True when a flag (or an option) such as {@code --topic} was given. */
    public boolean flag(String name) {
        return parsed != null && parsed.hasMatchedOption(name);
    }

    /** The value of an option, {@code ""} for an optional value left out, or null when the option is absent. */
    public String option(String name) {
        return parsed == null || !parsed.hasMatchedOption(name) ? null : parsed.matchedOptionValue(name, "");
    }

    /** The integer after {@code name} ({@code -n 10}), or {@code fallback}; a usage error when not a number in range. */
    public int intOption(String name, int fallback, int min, int max) {
        String v = option(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw CommandError.usage(name + " must be between " + min + " and " + max + ", got " + n,
                        synopsis());
            }
            return n;
        } catch (NumberFormatException e) {
            throw CommandError.usage(name + " needs a whole number, got '" + v + "'", synopsis());
        }
    }

    /** The positional values, in order. */
    public List<String> positional() {
        return positional;
    }

    /** The positional values (the sub-command first, for commands that have them). */
    public List<String> words() {
        return positional;
    }
}
