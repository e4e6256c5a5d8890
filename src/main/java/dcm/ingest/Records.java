package dcm.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Reads a request or file body: one JSON object, a JSON array of objects, or JSON lines. */
public final class Records {
    static final ObjectMapper JSON = new ObjectMapper();

    private Records() {}

    /** The records in order; a syntax error names the record index and the line. */
    public static List<JsonNode> read(InputStream in) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return out;
            }
            try {
                if (first == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        out.add(JSON.readTree(p));
                    }
                } else {
                    do {
                        out.add(JSON.readTree(p));
                    } while (p.nextToken() != null);
                }
            } catch (JsonProcessingException e) {
                throw new Schema.InvalidRecord(new Schema.Problem(out.size(), null, "invalid JSON at line "
                        + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": "
                        + e.getOriginalMessage()));
            }
        }
        return out;
    }

    /** Splits one CSV line (RFC 4180 quoting; a quoted cell may not span lines). */
    public static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
