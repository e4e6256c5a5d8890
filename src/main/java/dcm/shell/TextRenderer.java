package dcm.shell;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Renders blocks as text, with ANSI colour by role when enabled; wide cells are cut to keep tables readable. */
public final class TextRenderer implements Renderer {
    private static final int MAX_CELL = 80;
    private final PrintStream out;
    private final boolean color;

    public TextRenderer(PrintStream out, boolean color) {
        this.out = out;
        this.color = color;
    }

    @Override
    public void render(String input, Result result) {
        for (Block b : result.blocks()) {
            lines(b).forEach(out::println);
        }
        out.flush();
    }

    /**
     * A block as plain lines, without colour: for progress and notes, which print lines. A table comes out as it
     * is shown, never as an empty line.
     */
    public static List<String> plain(Block b) {
        return new TextRenderer(null, false).lines(b);
    }

    /** The lines of a block. Exhaustive over the sealed {@link Block}: a new kind throws rather than vanishing. */
    private List<String> lines(Block b) {
        if (b instanceof Block.Line l) {
            return List.of(style(l.role(), l.text()));
        } else if (b instanceof Block.Table t) {
            return table(t);
        } else {
            throw new IllegalStateException("unhandled block: " + b);
        }
    }

    private List<String> table(Block.Table t) {
        List<List<String>> rows = new ArrayList<>();
        for (List<String> r : t.rows()) {
            rows.add(r.stream().map(TextRenderer::cell).toList());
        }
        int[] w = new int[t.headers().size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = t.headers().get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], i < r.size() ? r.get(i).length() : 0);
            }
        }
        List<String> out = new ArrayList<>();
        out.add(style(Role.HEADER, line(t.headers(), w)));
        for (List<String> r : rows) {
            out.add(line(r, w));
        }
        return out;
    }

    private static String line(List<String> cells, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            sb.append(c);
            if (i < w.length - 1) {
                sb.append(" ".repeat(w[i] - c.length() + 2));
            }
        }
        return sb.toString().stripTrailing();
    }

    private static String cell(String s) {
        String one = s.replace('\n', ' ').replace('\t', ' ');
        return one.length() <= MAX_CELL ? one : one.substring(0, MAX_CELL - 1) + "…";
    }

    /** The text in its role's colour, or plain. */
    public String style(Role role, String text) {
        if (!color) {
            return text;
        }
        String code = switch (role) {
            case HEADER -> "1";
            case OK, ADD -> "32";
            case WARN, CHANGE -> "33";
            case ERROR, DROP -> "31";
            case DIM -> "2";
            case HINT -> "36";
            case PLAIN -> null;
        };
        return code == null ? text : "\u001b[" + code + "m" + text + "\u001b[0m";
    }
}
