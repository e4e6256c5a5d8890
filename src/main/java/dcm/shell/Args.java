package dcm.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * A command's arguments: the raw text after the command name (for {@code sql}) and its shell-like words, with
 * helpers for flags such as {@code -n 10}.
 */
public record Args(String command, String raw, List<String> words, String synopsis) {
    public Args {
        words = List.copyOf(words);
    }

    /** Splits a command line: the first word is the command, the rest are arguments. */
    public static Args parse(String line, String synopsis) {
        String trimmed = line.strip();
        int sp = firstSpace(trimmed);
        String name = sp < 0 ? trimmed : trimmed.substring(0, sp);
        String raw = sp < 0 ? "" : trimmed.substring(sp + 1).strip();
        return new Args(name, raw, split(raw), synopsis);
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

    /** True when a flag such as {@code --topic} is present. */
    public boolean flag(String name) {
        return words.contains(name);
    }

    /** The integer after {@code name} ({@code -n 10}), or {@code fallback}; a usage error when not a number. */
    public int intOption(String name, int fallback, int min, int max) {
        int i = words.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= words.size()) {
            throw CommandError.usage(name + " needs a number", synopsis);
        }
        try {
            int v = Integer.parseInt(words.get(i + 1));
            if (v < min || v > max) {
                throw CommandError.usage(name + " must be between " + min + " and " + max + ", got " + v, synopsis);
            }
            return v;
        } catch (NumberFormatException e) {
            throw CommandError.usage(name + " needs a number, got '" + words.get(i + 1) + "'", synopsis);
        }
    }

    /** The words that are neither flags nor option values (options listed in {@code withValue} take one). */
    public List<String> positional(String... withValue) {
        List<String> takesValue = List.of(withValue);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (takesValue.contains(w)) {
                i++;
            } else if (!w.startsWith("-") || w.matches("-\\d+")) {
                out.add(w);
            }
        }
        return out;
    }
}
