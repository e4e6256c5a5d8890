package dcm.shell;

/** Prints results: as styled text for people, or as JSON for programs. */
public interface Renderer {
    /** Prints the result of one input line. */
    void render(String input, Result result);
}
