package dcm.core.live;

/**
 * A column as ClickHouse reports it.
 *
 * @param name        column name
 * @param type        type as the server spells it
 * @param defaultKind {@code DEFAULT}, {@code MATERIALIZED}, {@code ALIAS} or empty
 * @param defaultExpr the default expression, or empty
 */
public record LiveColumn(String name, String type, String defaultKind, String defaultExpr) {}
