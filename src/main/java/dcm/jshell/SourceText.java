package dcm.jshell;

/** Line and column arithmetic over a script's text. */
final class SourceText {
    private final String text;

    SourceText(String text) {
        this.text = text;
    }

    /** 1-based line of a character offset. */
    int line(int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** 1-based column of a character offset. */
    int column(int offset) {
        int start = text.lastIndexOf('\n', Math.max(0, Math.min(offset, text.length()) - 1)) + 1;
        return Math.max(1, offset - start + 1);
    }

    /** The text of the line holding an offset, without its newline. */
    String lineText(int offset) {
        int o = Math.max(0, Math.min(offset, text.length()));
        int start = o == 0 ? 0 : text.lastIndexOf('\n', o - 1) + 1;
        int end = text.indexOf('\n', o);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** The first offset at or after {@code from} that is code: skips blanks and comments. */
    int skipTrivia(int from) {
        int i = trivia(from);
        return i < 0 ? text.length() : i;
    }

    /** Whether the blanks and comments from {@code from} on end in a block comment that is never closed. */
    boolean openComment(int from) {
        return trivia(from) < 0;
    }

    /** The offset after the blanks and comments from {@code from} on, or -1 when a block comment never ends. */
    private int trivia(int from) {
        int i = from;
        while (i < text.length()) {
            if (Character.isWhitespace(text.charAt(i))) {
                i++;
            } else if (text.startsWith("//", i)) {
                int nl = text.indexOf('\n', i);
                i = nl < 0 ? text.length() : nl + 1;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                if (end < 0) {
                    return -1;
                }
                i = end + 2;
            } else {
                break;
            }
        }
        return i;
    }

    /** The first non-blank offset of the line {@code lines} lines below the one holding {@code from}. */
    int lineStart(int from, int lines) {
        int i = from;
        for (int l = 0; l < lines; l++) {
            int nl = text.indexOf('\n', i);
            if (nl < 0) {
                break;
            }
            i = nl + 1;
        }
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * The line and column (both 1-based) of a record component named {@code field}, searched from the record's
     * declaration line on: the name followed by {@code ,} or {@code )}. Null when not found.
     */
    static int[] findField(java.util.List<String> lines, int fromLine, String field) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("(?<![\\w.\"])" + java.util.regex.Pattern.quote(field)
                + "\\s*[,)]");
        for (int l = Math.max(1, fromLine); l <= lines.size() && l < fromLine + 200; l++) {
            java.util.regex.Matcher m = p.matcher(lines.get(l - 1));
            if (m.find()) {
                return new int[] {l, m.start() + 1};
            }
        }
        return null;
    }
}
