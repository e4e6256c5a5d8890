package dcm.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Values between Java and ClickHouse for {@link dcm.api.Dcm}: a row as ClickHouse's JSON gives it (see
 * {@link dcm.core.Rows}) to a record of the model's class, the inverse of {@link dcm.api.TypeMapper}; and a record or
 * a map to the JSON object the ingest schema validates.
 */
public final class JavaValues {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final DateTimeFormatter CH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS][.SSS]");

    /** A value that does not convert, naming its row and column. */
    public static final class Unconvertible extends IllegalArgumentException {
        public Unconvertible(String message) {
            super(message);
        }
    }

    private final ZoneId serverZone;

    /** @param serverZone the time zone ClickHouse prints DateTime values in ({@code SELECT timezone()}) */
    public JavaValues(ZoneId serverZone) {
        this.serverZone = serverZone;
    }

    /** A record of {@code type} from one row (column name to plain value); {@code row} names it in errors. */
    public <T> T record(Class<T> type, Map<String, Object> values, int row) {
        RecordComponent[] rc = type.getRecordComponents();
        Object[] args = new Object[rc.length];
        Class<?>[] types = new Class<?>[rc.length];
        for (int i = 0; i < rc.length; i++) {
            types[i] = rc[i].getType();
            if (!values.containsKey(rc[i].getName())) {
                throw new Unconvertible("row " + row + ": no column '" + rc[i].getName() + "' for "
                        + type.getSimpleName() + "." + rc[i].getName() + "; the row has " + values.keySet());
            }
            args[i] = value(values.get(rc[i].getName()), rc[i].getGenericType(), row, rc[i].getName());
        }
        try {
            Constructor<T> c = type.getDeclaredConstructor(types);
            c.setAccessible(true);
            return c.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new Unconvertible("row " + row + ": " + type.getSimpleName() + "'s constructor refused the values: "
                    + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName() + ": " + e, e);
        }
    }

    /** One value of a column of ClickHouse type {@code chType} as plain Java (for maps): see {@link #javaType}. */
    public Object plain(Object v, String chType, int row, String column) {
        return value(v, javaType(chType), row, column);
    }

    /**
     * The Java type a ClickHouse type reads as in a map: integers {@code Long}, floats {@code Double}, Decimal
     * {@code BigDecimal}, DateTime {@code Instant}, Date {@code LocalDate}, Nullable {@code null} or the value,
     * Array {@code List}, anything else {@code String}.
     */
    static Type javaType(String chType) {
        String t = chType.strip();
        if (t.startsWith("Nullable(") || t.startsWith("LowCardinality(")) {
            return javaType(inner(t));
        }
        if (t.startsWith("Array(")) {
            return new ListOf(javaType(inner(t)));
        }
        if (t.matches("U?Int\\d+")) return Long.class;
        if (t.startsWith("Float")) return Double.class;
        if (t.startsWith("Decimal")) return BigDecimal.class;
        if (t.startsWith("DateTime")) return Instant.class;
        if (t.equals("Date")) return LocalDate.class;
        return String.class;
    }

    private static String inner(String t) {
        return t.substring(t.indexOf('(') + 1, t.lastIndexOf(')'));
    }

    /** {@code List<T>} for {@link #javaType}. */
    private record ListOf(Type element) implements ParameterizedType {
        @Override public Type[] getActualTypeArguments() { return new Type[] {element}; }
        @Override public Type getRawType() { return List.class; }
        @Override public Type getOwnerType() { return null; }
    }

    private Object value(Object v, Type type, int row, String column) {
        try {
            return convert(v, type);
        } catch (RuntimeException e) {
            throw new Unconvertible("row " + row + ", column '" + column + "': cannot make " + type.getTypeName()
                    .replaceAll("[\\w.]+\\.|\\$", "") + " of " + (v instanceof String ? "\"" + v + "\"" : v)
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    private Object convert(Object v, Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type arg = p.getActualTypeArguments()[0];
            if (raw == Optional.class) {
                return v == null ? Optional.empty() : Optional.of(convert(v, arg));
            }
            if (Collection.class.isAssignableFrom(raw)) {
                if (v == null) {
                    return null;
                }
                Collection<Object> out = Set.class.isAssignableFrom(raw) ? new LinkedHashSet<>() : new ArrayList<>();
                for (Object x : list(v)) {
                    out.add(convert(x, arg));
                }
                return out instanceof List<?> l ? java.util.Collections.unmodifiableList(l) : out;
            }
            throw new IllegalArgumentException(raw.getSimpleName() + " is not supported");
        }
        Class<?> c = (Class<?>) type;
        if (v == null) {
            if (c.isPrimitive()) {
                throw new IllegalArgumentException("NULL for a primitive: make the component Optional or @Nullable");
            }
            return null;
        }
        if (c.isArray()) {
            List<?> items = list(v);
            Object out = Array.newInstance(c.getComponentType(), items.size());
            for (int i = 0; i < items.size(); i++) {
                Array.set(out, i, convert(items.get(i), c.getComponentType()));
            }
            return out;
        }
        if (c == String.class) {
            if (v instanceof List<?>) {
                throw new IllegalArgumentException("an array for a String");
            }
            return String.valueOf(v);
        }
        if (c == int.class || c == Integer.class) return decimal(v).intValueExact();
        if (c == long.class || c == Long.class) return decimal(v).longValueExact();
        if (c == short.class || c == Short.class) return decimal(v).shortValueExact();
        if (c == byte.class || c == Byte.class) return decimal(v).byteValueExact();
        if (c == double.class || c == Double.class) return v instanceof Number n ? n.doubleValue() : floating(v);
        if (c == float.class || c == Float.class) return (float) (v instanceof Number n ? n.doubleValue() : floating(v));
        if (c == BigDecimal.class) return decimal(v);
        if (c == BigInteger.class) return decimal(v).toBigIntegerExact();
        if (c == boolean.class || c == Boolean.class) return bool(v);
        if (c == Instant.class) return instant(v);
        if (c == LocalDateTime.class) return LocalDateTime.ofInstant(instant(v), ZoneOffset.UTC);
        if (c == LocalDate.class) return LocalDate.parse(String.valueOf(v));
        if (c == UUID.class) return UUID.fromString(String.valueOf(v));
        if (c.isEnum()) return enumValue(c, String.valueOf(v));
        throw new IllegalArgumentException(c.getSimpleName() + " is not supported");
    }

    private static List<?> list(Object v) {
        if (v instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException("not an array");
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        try {
            return new BigDecimal(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
    }

    private static double floating(Object v) {
        String s = String.valueOf(v).strip();
        return switch (s) {
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan", "-nan" -> Double.NaN;
            default -> decimal(s).doubleValue();
        };
    }

    private static boolean bool(Object v) {
        String s = String.valueOf(v).strip();
        return switch (s) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new IllegalArgumentException("not 0 or 1");
        };
    }

    private Instant instant(Object v) {
        if (v instanceof Number n) {
            return Instant.ofEpochSecond(n.longValue());
        }
        String s = String.valueOf(v).strip();
        if (s.endsWith("Z")) {
            return Instant.parse(s);
        }
        return LocalDateTime.parse(s, CH_TIME).atZone(serverZone).toInstant();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> c, String name) {
        try {
            return Enum.valueOf((Class) c, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not one of " + List.of(c.getEnumConstants()));
        }
    }

    /**
     * A record or a map (name to value) as a JSON object for the ingest schema: records by component, enums by
     * name, Optional as its value or null, times and UUIDs as ISO text, collections and arrays as arrays.
     */
    public static ObjectNode json(Object recordOrMap) {
        return (ObjectNode) node(recordOrMap);
    }

    /** The record's or map's fields by name, values as they are. */
    public static Map<String, Object> fields(Object recordOrMap) {
        if (recordOrMap instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        if (recordOrMap instanceof Record r) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                try {
                    var accessor = rc.getAccessor();
                    accessor.setAccessible(true);
                    out.put(rc.getName(), accessor.invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + rc.getName() + " of " + r.getClass(), e);
                }
            }
            return out;
        }
        throw new IllegalArgumentException("expected a record or a map (Dcm.row(...)), got "
                + (recordOrMap == null ? "null" : recordOrMap.getClass().getSimpleName() + " " + recordOrMap));
    }

    private static JsonNode node(Object v) {
        if (v == null) return F.nullNode();
        if (v instanceof Optional<?> o) return o.isPresent() ? node(o.get()) : F.nullNode();
        if (v instanceof Record || v instanceof Map<?, ?>) {
            ObjectNode out = F.objectNode();
            fields(v).forEach((k, x) -> out.set(k, node(x)));
            return out;
        }
        if (v instanceof String s) return F.textNode(s);
        if (v instanceof Boolean b) return F.booleanNode(b);
        if (v instanceof BigDecimal d) return F.numberNode(d);
        if (v instanceof BigInteger i) return F.numberNode(i);
        if (v instanceof Double || v instanceof Float) return F.numberNode(((Number) v).doubleValue());
        if (v instanceof Number n) return F.numberNode(n.longValue());
        if (v instanceof Enum<?> e) return F.textNode(e.name());
        if (v instanceof LocalDateTime t) return F.textNode(t.toInstant(ZoneOffset.UTC).toString());
        if (v instanceof Collection<?> c) {
            ArrayNode a = F.arrayNode();
            c.forEach(x -> a.add(node(x)));
            return a;
        }
        if (v.getClass().isArray()) {
            ArrayNode a = F.arrayNode();
            for (int i = 0; i < Array.getLength(v); i++) {
                a.add(node(Array.get(v, i)));
            }
            return a;
        }
        // Instant, LocalDate, UUID, Character and the like: their ISO text
        return F.textNode(v.toString());
    }
}
