package dcm.api;

/**
 * A model definition that cannot be used, found while assembling or checking it. When the problem is in one field
 * of the schema record, {@link #field()} names it, so the loader can point at that field's line in the model file.
 */
public class ModelProblem extends IllegalArgumentException {
    private final String field;

    /** A problem with the model as a whole (its table, engine, ORDER BY...). */
    public ModelProblem(String message) {
        this(message, null);
    }

    /** A problem with one field of the schema record ({@code field} is the record component's name). */
    public ModelProblem(String message, String field) {
        super(message);
        this.field = field;
    }

    /** The record component at fault, or null for the model as a whole. */
    public String field() {
        return field;
    }
}
