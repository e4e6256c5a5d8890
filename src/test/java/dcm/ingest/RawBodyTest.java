package dcm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one-pass reading of a request body against the tree's (the route's reading before): whatever body it takes
 * yields the very records (normalized values, keys, order) the tree yields; the common bodies it takes; a body
 * the tree refuses, or reads otherwise than plainly, it leaves to the tree.
 */
class RawBodyTest {
    private static final Schema SCHEMA = new Schema(new ModelSpec("E", "1.0", List.of(
            new ColumnSpec("id", "String", true, null, null), ColumnSpec.of("n", "Int32"),
            new ColumnSpec("k2", "Int64", true, null, null), ColumnSpec.of("maybe", "Nullable(String)"),
            new ColumnSpec("country", "String", false, "'nl'", null)), null, null, true, "t"));

    private static List<String> tree(String body) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode n : Records.read(new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))) {
            ObjectNode v = SCHEMA.validate(n, out.size() / 2);
            out.add(v.toString());
            out.add(SCHEMA.key(v));
        }
        return out;
    }

    private static List<String> raw(String body) {
        Batch b = RawBody.forSchema("t", SCHEMA).read(body.getBytes(StandardCharsets.UTF_8));
        if (b == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
            out.add(new String(b.value(i), StandardCharsets.UTF_8));
            out.add(b.key(i));
        }
        return out;
    }

    @Test
    void takesTheCommonBodiesAndReadsThemAsTheTreeDoes() throws Exception {
        String a = "{\"id\":\"a\",\"n\":1,\"k2\":-7,\"maybe\":null,\"country\":\"de\"}";
        String b = "{ \"k2\": 3, \"id\": \"b|c\", \"n\": 2 }";
        String c = "{\"id\":\"\u00e9\u4e2d\",\"n\":3,\"k2\":0,\"maybe\":\"{[x]}\"}";
        for (String body : List.of(a, b, c, "[" + a + "," + b + "]", " [ " + a + " , " + c + " ] \n",
                a + "\n" + b + "\r\n" + c + "\n", a + b)) {
            List<String> fast = raw(body);
            assertNotNull(fast, body);
            assertEquals(tree(body), fast, body);
        }
    }

    @Test
    void leavesOtherBodiesToTheTree() {
        String a = "{\"id\":\"a\",\"n\":1,\"k2\":1}";
        for (String body : List.of("", "  ", "[]", "[" + a + "] x", a + " x", "[" + a + ",]", "[" + a,
                "{\"id\":\"a\",\"n\":\"1\",\"k2\":1}", "{\"id\":\"a\",\"n\":1,\"k2\":1,\"x\":1}",
                "{\"id\":\"a\",\"id\":\"b\",\"n\":1,\"k2\":1}", "{\"id\":\"a\\u0041\",\"n\":1,\"k2\":1}",
                "[1]", "{\"n\":1,\"k2\":1}", "{\"id\":\"a\",\"n\":1,\"k2\":1}}")) {
            assertNull(raw(body), body);
        }
    }

    @Test
    void takesNoTruncatedArray() {
        String a = "{\"id\":\"a\",\"n\":1,\"k2\":1}";
        for (String body : List.of("[" + a + ",", "[" + a + ", ", "[" + a + ",\n", "[" + a + "," + a + ",",
                "[" + a, "[" + a + " ", "[ ")) {
            assertNull(raw(body), body);
            assertTreeRefuses(body);
        }
    }

    /** Malformed bodies of many shapes: whatever the tree refuses, the one-pass reader does not take. */
    @Test
    void takesNoBodyTheTreeRefuses() {
        String a = "{\"id\":\"a\",\"n\":1,\"k2\":1}";
        List<String> bodies = List.of("[" + a + ",", "[" + a + ", ", "[" + a + ",]", "[," + a + "]", "[" + a + ",,"
                + a + "]", "[" + a + "]]", "[[" + a + "]]", "[" + a + "][" + a + "]", a + ",", a + "," + a, "," + a,
                a + "]", "{" + a + "}", "{\"id\":\"a\",\"n\":1,\"k2\":1", "{\"id\":\"a\",\"n\":1,\"k2\":1,}",
                "{\"id\":\"a\" \"n\":1,\"k2\":1}", "{\"id\":\"a\",\"n\":1 \"k2\":1}",
                "{\"id\":\"a,\"n\":1,\"k2\":1}", "{\"id\":a,\"n\":1,\"k2\":1}", "{id:\"a\",\"n\":1,\"k2\":1}",
                "{\"id\":\"a\",\"n\":01,\"k2\":1}", "{\"id\":\"a\",\"n\":1.,\"k2\":1}",
                "{\"id\":\"a\",\"n\":-,\"k2\":1}", "{\"id\":\"a\",\"n\":1,\"k2\":1}x",
                "{\"id\":\"a\",\"n\":1,\"k2\":tru}", "{\"id\":\"a\\x\",\"n\":1,\"k2\":1}",
                "{\"id\":\"a\",\"n\":1,\"k2\":1,\"maybe\":nul}", "{\"id\":\"a\",\"n\":1,\"k2\":1}\u0000",
                "\"a\"", "1", "null", "[" + a + "] " + a, a + " [" + a + "]");
        int refused = 0;
        for (String body : bodies) {
            boolean treeRefuses;
            try {
                tree(body);
                treeRefuses = false;
            } catch (Exception e) {
                treeRefuses = true;
            }
            if (treeRefuses) {
                refused++;
                assertNull(raw(body), "the tree refuses it, the one-pass reader took it: " + body);
            }
        }
        assertTrue(refused > bodies.size() / 2, refused + " of " + bodies.size() + " refused by the tree");
    }

    private static void assertTreeRefuses(String body) {
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> {
            List<String> records = tree(body);
            if (records.isEmpty()) {
                throw new IllegalStateException("no record");
            }
        }, body);
    }

    @Test
    void keysFromEscapedTextComeFromTheTree() throws Exception {
        String body = "{\"id\":\"a\\\"b\\\\c\",\"n\":1,\"k2\":1}";
        List<String> fast = raw(body);
        if (fast != null) {
            assertEquals(tree(body), fast);
        }
    }
}
