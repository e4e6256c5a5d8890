package dcm.core.versions;

import java.util.List;

/**
 * How rows of one version's table reach a later version's table: a materialized view from {@code source} to
 * {@code target} computing each of the target's columns with an expression over the source's columns. The same
 * record describes a backfill's copy (the same SELECT, run over the parts that existed before the view).
 *
 * @param name        the view's name ({@code Users_migrate__1_0__1_1}), named after the physical tables' versions
 * @param model       the model
 * @param from        the version whose table is the source
 * @param to          the version whose table is the target
 * @param source      the source table ({@code Users_1_0})
 * @param target      the target table ({@code Users_1_1})
 * @param columns     the target's columns, in order
 * @param expressions for each column, its SQL expression over the source's columns
 * @param origin      where the mapping came from ({@code generated}, a file, a model script line), for the plan
 */
public record MigrationView(String name, String model, String from, String to, String source, String target,
                            List<String> columns, List<String> expressions, String origin) {
    public MigrationView {
        columns = List.copyOf(columns);
        expressions = List.copyOf(expressions);
        if (columns.size() != expressions.size() || columns.isEmpty()) {
            throw new IllegalArgumentException("migration view " + name + ": " + columns.size() + " columns, "
                    + expressions.size() + " expressions");
        }
    }

    /** The name of the view from one version's table to another's: {@code Users_migrate__1_0__1_2}. */
    public static String nameOf(String model, String from, String to) {
        return model + "_migrate__" + dcm.core.Names.versionSuffix(from) + "__" + dcm.core.Names.versionSuffix(to);
    }

    /** A view from the mapping's source to target. */
    public static MigrationView of(Mapping m, String source, String target, String origin) {
        List<Mapping.Column> written = m.columns().stream().filter(c -> c.expression() != null).toList();
        return new MigrationView(nameOf(m.model(), m.from(), m.to()), m.model(), m.from(), m.to(), source, target,
                written.stream().map(Mapping.Column::name).toList(),
                written.stream().map(Mapping.Column::expression).toList(), origin);
    }

    /**
     * What identifies the view's definition (tables, columns, expressions): recorded when the view is created, so a
     * changed mapping is seen even though the server reformats the view's query.
     */
    public String key() {
        String text = source + "\n" + target + "\n" + String.join("\n", columns) + "\n"
                + String.join("\n", expressions);
        return dcm.core.Digest.sha256Hex(text, 8);
    }

    /** {@code <expr> AS `col`, ...}: the SELECT list. */
    public String selectList() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(expressions.get(i)).append(" AS ")
                    .append(dcm.core.Sql.id(columns.get(i)));
        }
        return s.toString();
    }
}
