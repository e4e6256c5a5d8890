package dcm.api;

import dcm.core.ColumnSpec;
import dcm.core.Dialect;
import dcm.core.Names;
import dcm.core.SqlFragments;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The documented mapping from Java record components to ClickHouse columns.
 *
 * <pre>
 * String -> String            int/Integer -> Int32      long/Long -> Int64     short -> Int16    byte -> Int8
 * double -> Float64           float -> Float32          boolean -> UInt8 (0/1; portable to 18.16)
 * Instant, LocalDateTime -> DateTime64(3) on 20.1+, DateTime on older servers
 * LocalDate -> Date           UUID -> UUID              BigDecimal -> Decimal(38, 9)
 * List/Set/array of T -> Array(T)      Optional&lt;T&gt; or @Nullable T -> Nullable(T)
 * enum E -> Enum8('A' = 1, 'B' = 2, ...) in declaration order
 * Map&lt;K, V&gt; -> Map(K, V) on 21.1+ (older servers: use @ClickHouseType)
 * @ClickHouseType("...") on a field overrides all of the above (LowCardinality(String), UInt8, ...)
 * </pre>
 */
public final class TypeMapper {
    private TypeMapper() {}

    /** The columns of a record schema, in component order. */
    public static List<ColumnSpec> columns(Class<?> schema, Dialect dialect) {
        if (!schema.isRecord()) {
            throw new IllegalArgumentException(schema.getSimpleName() + " is not a record: declare the schema as"
                    + " `record " + schema.getSimpleName() + "(String id, ...) {}`");
        }
        List<ColumnSpec> out = new ArrayList<>();
        for (RecordComponent rc : schema.getRecordComponents()) {
            out.add(column(schema, rc, dialect));
        }
        return out;
    }

    private static ColumnSpec column(Class<?> schema, RecordComponent rc, Dialect dialect) {
        String where = schema.getSimpleName() + "." + rc.getName();
        if (!Names.isValidIdentifier(rc.getName())) {
            throw new ModelProblem(where + ": field name cannot be used as a column name", rc.getName());
        }
        ClickHouseType override = rc.getAnnotation(ClickHouseType.class);
        String type;
        if (override != null) {
            type = override.value().trim();
            refuse(rc, "@ClickHouseType", type, "one ClickHouse type", SqlFragments.type(type));
        } else {
            type = map(rc.getGenericType(), dialect, where);
            if (rc.isAnnotationPresent(Nullable.class) && !type.startsWith("Nullable(")) {
                type = "Nullable(" + type + ")";
            }
        }
        Default def = rc.getAnnotation(Default.class);
        if (def != null) {
            refuse(rc, "@Default", def.value(), "one expression", SqlFragments.expression(def.value()));
        }
        RenamedFrom renamed = rc.getAnnotation(RenamedFrom.class);
        return new ColumnSpec(rc.getName(), type, rc.isAnnotationPresent(Key.class),
                def == null ? null : def.value(), renamed == null ? null : renamed.value());
    }

    /** Throws a {@link ModelProblem} naming the field when its SQL fragment has a flaw. */
    private static void refuse(RecordComponent rc, String annotation, String fragment, String what,
                               Optional<SqlFragments.Flaw> flaw) {
        if (flaw.isPresent()) {
            throw new ModelProblem(rc.getDeclaringRecord().getSimpleName() + "." + rc.getName() + ": " + annotation
                    + "(" + javaString(fragment) + ") is not " + what + ": " + flaw.get().message(), rc.getName());
        }
    }

    /** The fragment as a Java string literal, as the model file has it. */
    static String javaString(String fragment) {
        return "\"" + fragment.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Maps one Java type; {@code where} names the field for error messages. */
    public static String map(Type type, Dialect dialect, String where) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == Optional.class) {
                return "Nullable(" + map(args[0], dialect, where) + ")";
            }
            if (Collection.class.isAssignableFrom(raw)) {
                return "Array(" + map(args[0], dialect, where) + ")";
            }
            if (Map.class.isAssignableFrom(raw)) {
                if (!dialect.mapType()) {
                    throw new IllegalArgumentException(where + ": Map needs ClickHouse 21.1 or newer (server is "
                            + dialect.version() + "); use @ClickHouseType(\"...\") with a type it supports");
                }
                return "Map(" + map(args[0], dialect, where) + ", " + map(args[1], dialect, where) + ")";
            }
            throw unsupported(where, type);
        }
        if (type instanceof Class<?> c) {
            return mapClass(c, dialect, where);
        }
        throw unsupported(where, type);
    }

    private static String mapClass(Class<?> c, Dialect dialect, String where) {
        if (c == String.class) return "String";
        if (c == int.class || c == Integer.class) return "Int32";
        if (c == long.class || c == Long.class) return "Int64";
        if (c == short.class || c == Short.class) return "Int16";
        if (c == byte.class || c == Byte.class) return "Int8";
        if (c == double.class || c == Double.class) return "Float64";
        if (c == float.class || c == Float.class) return "Float32";
        if (c == boolean.class || c == Boolean.class) return "UInt8";
        if (c == Instant.class || c == LocalDateTime.class) return dialect.dateTime64() ? "DateTime64(3)" : "DateTime";
        if (c == LocalDate.class) return "Date";
        if (c == UUID.class) return "UUID";
        if (c == BigDecimal.class) return "Decimal(38, 9)";
        if (c.isArray() && c != byte[].class) return "Array(" + mapClass(c.getComponentType(), dialect, where) + ")";
        if (c.isEnum()) return enumType(c, where);
        if (c == List.class || c == Set.class || c == Optional.class) {
            throw new IllegalArgumentException(where + ": " + c.getSimpleName() + " needs an element type, e.g. "
                    + c.getSimpleName() + "<String>");
        }
        throw unsupported(where, c);
    }

    private static String enumType(Class<?> c, String where) {
        Object[] constants = c.getEnumConstants();
        if (constants.length > 127) {
            throw new IllegalArgumentException(where + ": enum " + c.getSimpleName() + " has more than 127 values;"
                    + " use @ClickHouseType(\"LowCardinality(String)\")");
        }
        StringBuilder out = new StringBuilder("Enum8(");
        for (int i = 0; i < constants.length; i++) {
            out.append(i == 0 ? "" : ", ").append('\'').append(((Enum<?>) constants[i]).name()).append("' = ")
                    .append(i + 1);
        }
        return out.append(')').toString();
    }

    private static IllegalArgumentException unsupported(String where, Type type) {
        return new IllegalArgumentException(where + ": no ClickHouse type for Java type " + type.getTypeName()
                + "; use a supported type (see `help types`) or @ClickHouseType(\"...\")");
    }
}
