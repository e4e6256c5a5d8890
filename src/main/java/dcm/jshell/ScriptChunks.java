package dcm.jshell;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model script cut into its top-level pieces without starting JShell, for {@link CompiledScripts}: type
 * declarations, and statements each at the line JShell would give it. A lexer, not a parser: it knows comments,
 * string, char and text-block literals and bracket depth, which is enough to find where a piece ends. What it cannot
 * place (an import, text that never ends) makes the whole script unfit ({@link Optional#empty()}), and the caller
 * evaluates it with JShell, the reference; a piece cut wrongly does not compile, which sends it there too.
 */
final class ScriptChunks {
    /** What a piece is: a type declaration (record, class, enum, interface) or anything else, run as statements. */
    enum Kind { TYPE, STATEMENT }

    /**
     * One piece: its kind, its text (a statement's with its {@code ;}), the 1-based line where its code starts, and
     * for a type the name it declares.
     */
    record Chunk(Kind kind, String text, int line, String typeName) {}

    private static final Set<String> MODIFIERS = Set.of("public", "protected", "private", "static", "final",
            "abstract", "sealed", "non-sealed", "strictfp");
    /** Statements that may end with a block and no {@code ;}. */
    private static final Set<String> BLOCK_STATEMENTS = Set.of("if", "for", "while", "do", "try", "switch",
            "synchronized");
    private static final Pattern WORD = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*");
    private static final Pattern ANNOTATION = Pattern.compile("@\\s*[\\p{L}_$][\\p{L}\\p{N}_$.]*");

    private final String text;
    private final SourceText src;
    private int pos;

    private ScriptChunks(String text) {
        this.text = text;
        this.src = new SourceText(text);
    }

    /**
     * Whether {@code text} ends outside any bracket, comment or literal: the input a prompt line needs more lines
     * for when it does not, told without a JShell session.
     */
    static boolean balanced(String text) {
        ScriptChunks c = new ScriptChunks(text);
        int start = 0;
        while (true) {
            if (c.src.openComment(start)) {
                return false;
            }
            start = c.src.skipTrivia(start);
            if (start >= text.length()) {
                return true;
            }
            start = c.end(start, false);
            if (start < 0) {
                return false;
            }
        }
    }

    /** The pieces of {@code text} in order, or empty when it is unfit for the compiled load. */
    static Optional<List<Chunk>> of(String text) {
        return new ScriptChunks(text).all();
    }

    private Optional<List<Chunk>> all() {
        List<Chunk> out = new ArrayList<>();
        while (true) {
            int start = src.skipTrivia(pos);
            if (start >= text.length()) {
                return Optional.of(out);
            }
            String head = head(start);
            if (head.equals("import") || head.equals("package")) {
                return Optional.empty();
            }
            boolean type = head.startsWith("type ");
            int end = end(start, type || BLOCK_STATEMENTS.contains(head) || head.equals("{"));
            if (end < 0) {
                return Optional.empty();
            }
            String piece = text.substring(start, end).strip();
            if (!type && !piece.endsWith(";") && !piece.endsWith("}")) {
                piece = piece + ";"; // JShell takes a last expression without its ';'
            }
            out.add(new Chunk(type ? Kind.TYPE : Kind.STATEMENT, piece, src.line(start),
                    type ? head.substring(5) : null));
            pos = end;
        }
    }

    /**
     * What the piece at {@code start} begins with: {@code "type <Name>"} for a type declaration (after annotations
     * and modifiers), else its first word or character.
     */
    private String head(int start) {
        int i = start;
        while (true) {
            i = skipBlanks(i);
            Matcher ann = ANNOTATION.matcher(text).region(i, text.length());
            if (ann.lookingAt() && !text.startsWith("@interface", i)) {
                i = skipBlanks(ann.end());
                if (i < text.length() && text.charAt(i) == '(') {
                    i = closing(i);
                    if (i < 0) {
                        return "";
                    }
                }
                continue;
            }
            Matcher w = WORD.matcher(text).region(i, text.length());
            if (text.startsWith("@interface", i)) {
                w = WORD.matcher(text).region(skipBlanks(i + "@interface".length()), text.length());
                return w.lookingAt() ? "type " + w.group() : "";
            }
            if (!w.lookingAt()) {
                return i < text.length() ? String.valueOf(text.charAt(i)) : "";
            }
            String word = w.group();
            int after = skipBlanks(w.end());
            if (MODIFIERS.contains(word) || word.equals("non") && text.startsWith("-sealed", w.end())) {
                i = word.equals("non") ? w.end() + "-sealed".length() : after;
                continue;
            }
            if (word.equals("class") || word.equals("interface") || word.equals("enum") || word.equals("record")) {
                Matcher name = WORD.matcher(text).region(after, text.length());
                if (name.lookingAt()) {
                    return "type " + name.group();
                }
            }
            return i == start ? word : "modified " + word;
        }
    }

    /**
     * Where the piece starting at {@code start} ends (exclusive): after a {@code ;} at depth 0, or after the
     * {@code }} that closes its block when {@code blockEnds} (a type, a block statement) and no {@code else},
     * {@code catch}, {@code finally} or {@code while} follows; at the end of the text for a last piece; -1 when a
     * bracket, comment or literal is left open.
     */
    private int end(int start, boolean blockEnds) {
        int depth = 0;
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '/' && i + 1 < text.length() && (text.charAt(i + 1) == '/' || text.charAt(i + 1) == '*')) {
                if (text.charAt(i + 1) == '*' && text.indexOf("*/", i + 2) < 0) {
                    return -1;
                }
                i = src.skipTrivia(i);
                continue;
            }
            if (c == '"' || c == '\'') {
                i = literalEnd(i);
                if (i < 0) {
                    return -1;
                }
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth < 0) {
                    return -1;
                }
                if (depth == 0 && c == '}' && blockEnds && !continues(i + 1)) {
                    return i + 1;
                }
            } else if (c == ';' && depth == 0) {
                return i + 1;
            }
            i++;
        }
        return depth == 0 ? i : -1;
    }

    /** Whether the statement goes on after a block closed at {@code from} ({@code else}, {@code catch}, ...). */
    private boolean continues(int from) {
        int i = src.skipTrivia(from);
        Matcher w = WORD.matcher(text).region(Math.min(i, text.length()), text.length());
        return w.lookingAt() && Set.of("else", "catch", "finally", "while").contains(w.group());
    }

    /** The index after the string, char or text-block literal starting at {@code i}, or -1 if it never ends. */
    private int literalEnd(int i) {
        if (text.startsWith("\"\"\"", i)) {
            int j = i + 3;
            while (j < text.length()) {
                if (text.charAt(j) == '\\') {
                    j += 2;
                } else if (text.startsWith("\"\"\"", j)) {
                    return j + 3;
                } else {
                    j++;
                }
            }
            return -1;
        }
        char quote = text.charAt(i);
        int j = i + 1;
        while (j < text.length() && text.charAt(j) != '\n') {
            char c = text.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == quote) {
                return j + 1;
            } else {
                j++;
            }
        }
        return -1;
    }

    /** The index after the bracket that closes the one at {@code open}, or -1. */
    private int closing(int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = literalEnd(i);
                if (i < 0) {
                    return -1;
                }
                i--;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    private int skipBlanks(int i) {
        return src.skipTrivia(i);
    }
}
