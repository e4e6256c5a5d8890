package dcm.core.plan;

import java.util.List;

/**
 * The operations that take the live state to the models, in order, with the findings about them and the changes
 * the lifecycles blocked.
 */
public record Plan(List<Operation> operations, List<Finding> findings, List<Finding> blocked) {
    public Plan {
        operations = List.copyOf(operations);
        findings = List.copyOf(findings);
        blocked = List.copyOf(blocked);
    }

    public boolean isEmpty() {
        return operations.isEmpty();
    }

    /** True when some operation drops data. */
    public boolean destructive() {
        return operations.stream().anyMatch(Operation::destructive);
    }
}
