package dcm.core.versions;

import dcm.core.SqlFragments;
import dcm.core.versions.MappingEdit.At;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of a mapping file with its comments blanked (offsets, lines and columns stay the file's), and the
 * scanning {@link MappingFile#parse} needs: words outside brackets and quotes, items between top-level commas.
 */
final class MappingFileText {
    final String file;
    final String code;

    MappingFileText(String file, String text) {
        this.file = file;
        this.code = blankComments(text);
    }

    At at(int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < Math.min(offset, code.length()); i++) {
            if (code.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new At(file, line, offset - lineStart + 1);
    }

    int skipBlanks(int from) {
        int i = from;
        while (i < code.length() && Character.isWhitespace(code.charAt(i))) {
            i++;
        }
        return i;
    }

    String word(int at) {
        int i = at;
        while (i < code.length() && (Character.isLetterOrDigit(code.charAt(i)) || code.charAt(i) == '_')) {
            i++;
        }
        return i == at ? (at < code.length() ? String.valueOf(code.charAt(at)) : "") : code.substring(at, i);
    }

    /** The offset of {@code word} outside brackets, strings and quoted names, or -1. */
    int topLevelWord(int from, String word) {
        int depth = 0;
        for (int i = from; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '\'' || c == '`' || c == '"') {
                i = skipQuoted(i) - 1;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (depth <= 0 && code.regionMatches(true, i, word, 0, word.length())
                    && (i == 0 || !isWordChar(code.charAt(i - 1)))
                    && (i + word.length() >= code.length() || !isWordChar(code.charAt(i + word.length())))) {
                return i;
            }
        }
        return -1;
    }

    /** The offset of the first bracket from {@code from} on that is never closed, or -1. */
    int unclosed(int from) {
        java.util.Deque<Integer> open = new java.util.ArrayDeque<>();
        for (int i = from; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '\'' || c == '`' || c == '"') {
                i = skipQuoted(i) - 1;
            } else if (c == '(' || c == '[') {
                open.push(i);
            } else if ((c == ')' || c == ']') && !open.isEmpty()) {
                open.pop();
            }
        }
        return open.isEmpty() ? -1 : open.peekLast();
    }

    /** The items between two offsets, split at top-level commas: {start, end} of each. */
    List<int[]> items(int from, int to) {
        List<int[]> out = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            char c = code.charAt(i);
            if (c == '\'' || c == '`' || c == '"') {
                i = Math.min(skipQuoted(i), to) - 1;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(new int[] {start, i});
                start = i + 1;
            }
        }
        out.add(new int[] {start, to});
        return out;
    }

    /** The offset after a quoted string or name starting at {@code at} (the end of the text when not closed). */
    int skipQuoted(int at) {
        char q = code.charAt(at);
        int end = q == '\'' ? SqlFragments.endOfString(code, at) : code.indexOf(q, at + 1) + 1;
        return end <= 0 ? code.length() : end;
    }

    /**
     * The file offset of character {@code index} of {@code expr}, the squeezed text of the expression that
     * starts at {@code exprAt}: the same non-blank character, counted from the start.
     */
    int offsetOf(int exprAt, String expr, int index) {
        int nonBlank = 0;
        for (int k = 0; k < index && k < expr.length(); k++) {
            nonBlank += Character.isWhitespace(expr.charAt(k)) ? 0 : 1;
        }
        int i = exprAt;
        for (int seen = 0; i < code.length(); i++) {
            if (!Character.isWhitespace(code.charAt(i))) {
                if (seen == nonBlank) {
                    return i;
                }
                seen++;
            }
        }
        return exprAt;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** Comments become blanks (newlines kept), so that offsets, lines and columns stay those of the file. */
    static String blankComments(String text) {
        StringBuilder out = new StringBuilder(text);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'') {
                int e = SqlFragments.endOfString(text, i);
                i = e < 0 ? text.length() : e;
            } else if (c == '`' || c == '"') {
                int e = text.indexOf(c, i + 1);
                i = e < 0 ? text.length() : e + 1;
            } else if (text.startsWith("--", i)) {
                int e = text.indexOf('\n', i);
                e = e < 0 ? text.length() : e;
                blank(out, i, e);
                i = e;
            } else if (text.startsWith("/*", i)) {
                int e = text.indexOf("*/", i + 2);
                e = e < 0 ? text.length() : e + 2;
                blank(out, i, e);
                i = e;
            } else {
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(StringBuilder out, int from, int to) {
        for (int k = from; k < to; k++) {
            if (out.charAt(k) != '\n') {
                out.setCharAt(k, ' ');
            }
        }
    }
}
