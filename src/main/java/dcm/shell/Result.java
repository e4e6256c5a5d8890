package dcm.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * What a command produced: success or failure, the blocks the text renderer prints, and the value the JSON
 * renderer serializes (the same facts, as data).
 *
 * @param ok       whether the command succeeded
 * @param exitCode 0, 1 (failed) or 2 (usage error)
 * @param blocks   text output
 * @param data     the JSON payload, or null
 */
public record Result(boolean ok, int exitCode, List<Block> blocks, Object data) {
    public Result {
        blocks = List.copyOf(blocks);
    }

    /** A success with these blocks and data. */
    public static Result ok(List<Block> blocks, Object data) {
        return new Result(true, 0, blocks, data);
    }

    /** A success that only says something. */
    public static Result message(String text) {
        return ok(List.of(Block.line(Role.OK, text)), java.util.Map.of("message", text));
    }

    /** A failure with a stable code (in {@code --json} as {@code code}): the message, evidence lines and a hint. */
    public static Result error(int exitCode, String code, String message, List<String> evidence, String hint) {
        return error(exitCode, message, evidence, hint).withCode(code);
    }

    /** The same failure with a stable code in its JSON data (the data's other entries kept). */
    public Result withCode(String code) {
        java.util.Map<String, Object> d = new java.util.LinkedHashMap<>();
        if (data instanceof java.util.Map<?, ?> m) {
            m.forEach((k, v) -> d.put(String.valueOf(k), v));
        }
        d.put("code", code);
        return new Result(false, exitCode, blocks, d);
    }

    /** A failure: the message, evidence lines and a hint. */
    public static Result error(int exitCode, String message, List<String> evidence, String hint) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(Block.line(Role.ERROR, "error: " + message));
        evidence.forEach(e -> blocks.add(Block.line(Role.DIM, "  -> " + e)));
        if (hint != null) {
            blocks.add(Block.line(Role.HINT, "hint: " + hint));
        }
        java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("error", message);
        if (!evidence.isEmpty()) {
            data.put("evidence", evidence);
        }
        if (hint != null) {
            data.put("hint", hint);
        }
        return new Result(false, exitCode, blocks, data);
    }
}
