package dcm.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders each result as one JSON object on one line: {@code {"command", "ok", "exitCode", "data"}}. */
public final class JsonRenderer implements Renderer {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private final PrintStream out;

    public JsonRenderer(PrintStream out) {
        this.out = out;
    }

    @Override
    public void render(String input, Result result) {
        Map<String, Object> o = new LinkedHashMap<>();
        // the line as typed, minus its secrets (a --token value)
        o.put("command", CommandLineSecrets.mask(input));
        o.put("ok", result.ok());
        o.put("exitCode", result.exitCode());
        o.put("data", result.data());
        try {
            out.println(JSON.writeValueAsString(o));
        } catch (JsonProcessingException e) {
            out.println("{\"command\":" + quote(CommandLineSecrets.mask(input))
                    + ",\"ok\":false,\"exitCode\":1,\"data\":{\"error\":"
                    + quote("cannot write JSON: " + e.getOriginalMessage()) + "}}");
        }
        out.flush();
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            return "\"\"";
        }
    }
}
