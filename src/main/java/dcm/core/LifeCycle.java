package dcm.core;

/**
 * Who owns a table or topic, and so what a migration may do to it (Moose's lifecycle modes).
 */
public enum LifeCycle {
    /** The tool may create, change and drop it, destructive changes included (with consent). */
    FULLY_MANAGED,
    /** The tool may create and extend it, but never drops it or any of its columns. */
    DELETION_PROTECTED,
    /** Someone else owns it: the tool reads it but never changes it. */
    EXTERNALLY_MANAGED
}
