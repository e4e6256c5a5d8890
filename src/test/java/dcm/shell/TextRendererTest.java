package dcm.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Blocks as text: every kind of block is shown, in the terminal and where commands print progress lines. */
class TextRendererTest {
    @Test
    void everyKindOfBlockComesOutAsPlainLines() {
        assertEquals(List.of(Block.Line.class, Block.Table.class), List.of(Block.class.getPermittedSubclasses()),
                "a new kind of block: show it in TextRenderer.lines, then sample it here");
        assertEquals(List.of("+ added"), TextRenderer.plain(Block.line(Role.ADD, "+ added")));
        // a table was once an empty progress line
        assertEquals(List.of("model  table", "Users  Users_1_0", "Ev     -"), TextRenderer.plain(new Block.Table(
                List.of("model", "table"), List.of(List.of("Users", "Users_1_0"), List.of("Ev", "-")))));
    }
}
