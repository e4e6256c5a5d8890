package dcm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
    @Test
    void theFirstByteThatIsNotUtf8IsFoundAtItsLineAndCharacterColumn() {
        byte[] b = "ok\nçé x?\n".getBytes(StandardCharsets.UTF_8);
        b[b.length - 2] = (byte) 0xff;
        Utf8.BadByte bad = Utf8.firstBadByte(b);
        assertEquals(2, bad.line());
        assertEquals(5, bad.column(), "ç and é are one column each, not two bytes");
        assertEquals(3, bad.lineStart());
        assertEquals("not UTF-8 text (byte 0xff at line 2, column 5)", bad.describe());
        assertNull(Utf8.firstBadByte("çé\n".getBytes(StandardCharsets.UTF_8)));
    }
}
