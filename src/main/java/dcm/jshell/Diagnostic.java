package dcm.jshell;

/**
 * A problem found while loading or evaluating model code, located in its source: {@code models/users.jsh:12:5},
 * the source line, and a caret under the column, as jshell shows compiler errors.
 *
 * @param file    the file (relative to the project) or {@code <prompt>}
 * @param line    1-based line, 0 when unknown
 * @param column  1-based column, 0 when unknown
 * @param source  the source line's text, or empty
 * @param message what is wrong (the compiler's message, or the exception)
 */
public record Diagnostic(String file, int line, int column, String source, String message) {
    /** {@code file:line}. */
    public String location() {
        return line > 0 ? file + ":" + line : file;
    }

    /** The multi-line report: location and message, the source line, a caret. */
    public String render() {
        StringBuilder out = new StringBuilder(location()).append(": ").append(message);
        if (source != null && !source.isBlank()) {
            out.append('\n').append("    ").append(source.stripTrailing());
            if (column > 0) {
                out.append('\n').append("    ").append(caretPad(source, column)).append('^');
            }
        }
        return out.toString();
    }

    private static String caretPad(String source, int column) {
        StringBuilder pad = new StringBuilder();
        for (int i = 0; i < column - 1 && i < source.length(); i++) {
            pad.append(source.charAt(i) == '\t' ? '\t' : ' ');
        }
        return pad.toString();
    }
}
