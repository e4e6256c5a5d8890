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

    /** Where the snippet {@code source} begins inside {@code [from, to)}: first match of its start, else first non-blank. */
    int locate(String source, int from, int to) {
        String head = source.strip();
        head = head.substring(0, Math.min(24, head.length()));
        int found = head.isEmpty() ? -1 : text.indexOf(head, from);
        if (found >= 0 && found < to) {
            return found;
        }
        int i = from;
        while (i < to && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
