package dcm.shell;

import java.util.List;

/** A unit of rendered output: a styled line or a table. */
public sealed interface Block permits Block.Line, Block.Table {
    /** One line of text with a role. */
    record Line(Role role, String text) implements Block {}

    /** A table with headers; cells are already strings. */
    record Table(List<String> headers, List<List<String>> rows) implements Block {
        public Table {
            headers = List.copyOf(headers);
            rows = List.copyOf(rows);
        }
    }

    static Line line(String text) {
        return new Line(Role.PLAIN, text);
    }

    static Line line(Role role, String text) {
        return new Line(role, text);
    }
}
