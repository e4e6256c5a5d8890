package dcm.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/** Test helper: parse JSON text with the ingest's own mapper. */
public final class FieldTypeAccess {
    private FieldTypeAccess() {}

    public static JsonNode json(String text) {
        try {
            return Records.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
