package dcm.shell;

/** What a piece of output means; the renderer picks its colour. */
public enum Role { PLAIN, HEADER, OK, WARN, ERROR, ADD, CHANGE, DROP, DIM, HINT }
