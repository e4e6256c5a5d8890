package dcm.migrate;

import java.util.List;
import java.util.Map;

/**
 * What a mapping did to sample rows ({@link MappingRun}): the rows shown side by side, the findings per row and
 * column, and how many of each kind there are in all.
 *
 * @param inColumns  the old version's columns (the sample's)
 * @param outColumns the new version's columns the mapping writes
 * @param rows       the sample's rows
 * @param outRows    the rows the mapping produced (the rest it dropped)
 * @param shown      the first rows, and the rows with a finding, in row order (capped)
 * @param findings   the findings, by kind then row (capped per kind; {@code counts} has the totals)
 * @param counts     how many findings of each kind there are (values for the per-column kinds, rows for DROPPED)
 * @param byColumn   for each kind, how many per column
 * @param output     the output rows as JSON lines in row order, when asked for (else null)
 * @param notes      what the reader must know (failing rows not all located, columns not attributed)
 */
public record MappingReport(List<String> inColumns, List<String> outColumns, long rows, long outRows, List<Row> shown,
                            List<Finding> findings, Map<Kind, Long> counts, Map<Kind, Map<String, Long>> byColumn,
                            List<String> output, List<String> notes) {
    /** The kinds of finding. */
    public enum Kind {
        /** ClickHouse refused to convert the value (a CAST that does not parse, a guard's throwIf). */
        FAILED("failed to convert"),
        /** The output is NULL, or its type's default (0, '', 0000-00-00, []), where its input was neither. */
        DEFAULTED("became default or null"),
        /** A number that came out as another number, or a text that came out as a shorter piece of itself. */
        TRUNCATED("truncated or overflowed"),
        /** The row is not in the output: a value of it was refused, so the view would refuse the row's insert. */
        DROPPED("rows dropped");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** {@code failed to convert}. */
        public String label() {
            return label;
        }
    }

    /**
     * One finding.
     *
     * @param kind   what happened
     * @param row    the sample's row number (from 1)
     * @param column the output column, or null for a whole row
     * @param input  the input value (of the column the output comes from; a whole row as {@code a=1, b='x'})
     * @param output the output value, or null
     * @param reason why (ClickHouse's message for a refused value), or null
     */
    public record Finding(Kind kind, long row, String column, String input, String output, String reason) {
        /** {@code row 4, age: '-1' -> 255}. */
        public String describe() {
            return "row " + row + (column == null ? "" : ", " + column) + ": " + input + (output == null ? ""
                    : " -> " + output) + (reason == null ? "" : " (" + reason + ")");
        }
    }

    /**
     * One row side by side.
     *
     * @param row     the row number
     * @param in      the input values, as text (NULL as null)
     * @param out     the output values, or null when the row was dropped
     * @param changed for each output column, whether it differs from its input (a new column always does)
     */
    public record Row(long row, List<String> in, List<String> out, List<Boolean> changed) {}

    /** How many findings of a kind. */
    public long count(Kind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    /**
     * The summary line of a kind: {@code failed to convert: 3 value(s) (age: 2, signup: 1)}, or
     * {@code rows dropped: 2 of 40}.
     */
    public String summary(Kind kind) {
        long n = count(kind);
        if (kind == Kind.DROPPED) {
            return kind.label() + ": " + n + " of " + rows;
        }
        Map<String, Long> cols = byColumn.getOrDefault(kind, Map.of());
        List<String> parts = cols.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + ": " + e.getValue()).toList();
        return kind.label() + ": " + n + " value(s)" + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    }
}
