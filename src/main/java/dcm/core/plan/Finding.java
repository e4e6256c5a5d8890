package dcm.core.plan;

/**
 * Something a reviewer must know about a plan, like a lint finding: a code, the object, a one-line reason and the
 * fix.
 */
public record Finding(Code code, String target, String message, String fix) {
    /** Finding codes; each says what kind of risk it is. */
    public enum Code {
        /** Drops data: needs --allow-destructive or an interactive yes. */
        DESTRUCTIVE,
        /** Succeeds or fails depending on the data (type conversions): checked before apply. */
        DATA_DEPENDENT,
        /** A drop and an add of the same type look like a rename that was not declared. */
        LIKELY_RENAME,
        /** Producers or consumers of the old shape may break. */
        BACKWARD_INCOMPATIBLE,
        /** The lifecycle blocks this change; shown as (protected). */
        PROTECTED,
        /**
         * Held back, not forbidden: the models did not load completely (nothing that may belong to a model that
         * failed is planned), or a drop is left for {@code apply --allow-destructive}; shown as (not planned).
         */
        NOT_PLANNED,
        /** Cannot be done on this server or broker. */
        UNSUPPORTED,
        /** The models and the database disagree in a way no operation resolves. */
        CONFLICT,
        /**
         * A table, view or topic a model wants exists, but dcm did not create it: nothing is planned on it until it
         * is adopted ({@code adopt}).
         */
        FOREIGN
    }
}
