package dcm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ClickHouse column type as an ingest validator: checks a JSON value and returns it in the form ClickHouse's
 * JSONEachRow reads on every version (DateTime as {@code yyyy-MM-dd HH:mm:ss}, booleans as 0/1). Throws
 * {@link IllegalArgumentException} with the reason when the value does not fit.
 */
abstract class FieldType {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** With the zone, so a server in another time zone stores the same instant (inserts parse with best_effort). */
    private static final DateTimeFormatter CH_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    private static final DateTimeFormatter CH_DATETIME64 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    /** The type's name, for messages. */
    abstract String name();

    /** Converts a JSON value (never JSON null) or throws with the reason. */
    abstract JsonNode convert(JsonNode v);

    /** Converts a CSV cell. */
    JsonNode fromText(String s) {
        return convert(F.textNode(s));
    }

    boolean nullable() {
        return false;
    }

    static FieldType parse(String type) {
        String t = type.strip();
        Matcher m = Pattern.compile("(\\w+)\\((.*)\\)").matcher(t);
        if (m.matches()) {
            String outer = m.group(1);
            String inner = m.group(2);
            switch (outer) {
                case "Nullable": return new NullableType(parse(inner));
                case "LowCardinality": return parse(inner);
                case "Array": return new ArrayType(parse(inner));
                case "Enum8": case "Enum16": return new EnumType(t, inner);
                case "DateTime64": return new DateTimeType(t, true);
                case "DateTime": return new DateTimeType(t, false);
                case "Decimal": case "Decimal32": case "Decimal64": case "Decimal128": return new DecimalType(t);
                case "FixedString": return new StringType(t);
                default: return new AnyType(t);
            }
        }
        return switch (t) {
            case "String", "UUID" -> t.equals("UUID") ? new UuidType() : new StringType(t);
            case "Int8" -> new IntType(t, BigInteger.valueOf(Byte.MIN_VALUE), BigInteger.valueOf(Byte.MAX_VALUE));
            case "Int16" -> new IntType(t, BigInteger.valueOf(Short.MIN_VALUE), BigInteger.valueOf(Short.MAX_VALUE));
            case "Int32" -> new IntType(t, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE));
            case "Int64" -> new IntType(t, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE));
            case "UInt8" -> new IntType(t, BigInteger.ZERO, BigInteger.valueOf(255));
            case "UInt16" -> new IntType(t, BigInteger.ZERO, BigInteger.valueOf(65535));
            case "UInt32" -> new IntType(t, BigInteger.ZERO, BigInteger.valueOf(4294967295L));
            case "UInt64" -> new IntType(t, BigInteger.ZERO, new BigInteger("18446744073709551615"));
            case "Float32", "Float64" -> new FloatType(t);
            case "Date" -> new DateType();
            case "DateTime" -> new DateTimeType(t, false);
            case "Bool", "Boolean" -> new IntType(t, BigInteger.ZERO, BigInteger.ONE);
            default -> new AnyType(t);
        };
    }

    static IllegalArgumentException bad(String expected, JsonNode v) {
        return new IllegalArgumentException("expected " + expected + ", got " + shown(v));
    }

    /** A value as the message shows it: its JSON, cut at 60 characters; never an empty word. */
    static String shown(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isTextual() && v.asText().isEmpty()) {
            return "an empty string";
        }
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    static final class NullableType extends FieldType {
        final FieldType inner;
        NullableType(FieldType inner) { this.inner = inner; }
        String name() { return "Nullable(" + inner.name() + ")"; }
        boolean nullable() { return true; }
        JsonNode convert(JsonNode v) { return inner.convert(v); }
        JsonNode fromText(String s) { return s.isEmpty() ? F.nullNode() : inner.fromText(s); }
    }

    static final class StringType extends FieldType {
        final String name;
        StringType(String name) { this.name = name; }
        String name() { return name; }
        JsonNode convert(JsonNode v) {
            if (!v.isTextual()) {
                throw bad("a string", v);
            }
            return v;
        }
    }

    static final class UuidType extends FieldType {
        String name() { return "UUID"; }
        JsonNode convert(JsonNode v) {
            try {
                if (v.isTextual() && v.asText().length() == 36) {
                    UUID.fromString(v.asText());
                    return v;
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
            throw bad("a UUID like \"123e4567-e89b-12d3-a456-426614174000\"", v);
        }
    }

    static final class IntType extends FieldType {
        final String name;
        final BigInteger min;
        final BigInteger max;
        IntType(String name, BigInteger min, BigInteger max) { this.name = name; this.min = min; this.max = max; }
        String name() { return name; }
        JsonNode convert(JsonNode v) {
            BigInteger n;
            if (v.isBoolean() && min.signum() == 0) {
                n = v.booleanValue() ? BigInteger.ONE : BigInteger.ZERO;
            } else if (v.isIntegralNumber()) {
                n = v.bigIntegerValue();
            } else if (v.isTextual() && v.asText().matches("-?\\d{1,20}")) {
                n = new BigInteger(v.asText());
            } else {
                throw bad("an integer (" + name + ")", v);
            }
            if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
                throw new IllegalArgumentException(n + " is out of range for " + name + " (" + min + " to " + max + ")");
            }
            return F.numberNode(n);
        }
        JsonNode fromText(String s) {
            String t = s.strip();
            if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                return convert(F.booleanNode(Boolean.parseBoolean(t)));
            }
            return convert(F.textNode(t));
        }
    }

    static final class FloatType extends FieldType {
        final String name;
        FloatType(String name) { this.name = name; }
        String name() { return name; }
        JsonNode convert(JsonNode v) {
            double d;
            if (v.isNumber()) {
                d = v.doubleValue();
            } else if (v.isTextual() && v.asText().strip().matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                d = Double.parseDouble(v.asText().strip());
            } else {
                throw bad("a number (" + name + ")", v);
            }
            // ClickHouse would store inf or nan: a value out of range, or NaN / Infinity, is not what was sent
            if (!Double.isFinite(d) || name.equals("Float32") && Math.abs(d) > Float.MAX_VALUE) {
                throw new IllegalArgumentException((v.isNumber() ? "a number" : shown(v)) + " beyond the range of "
                        + name + " (it would be stored as inf)");
            }
            return v.isNumber() ? v : F.numberNode(d);
        }
    }

    static final class DecimalType extends FieldType {
        final String name;
        DecimalType(String name) { this.name = name; }
        String name() { return name; }
        JsonNode convert(JsonNode v) {
            try {
                return F.numberNode(v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().strip()));
            } catch (NumberFormatException e) {
                throw bad("a decimal number (" + name + ")", v);
            }
        }
    }

    static final class DateType extends FieldType {
        String name() { return "Date"; }
        JsonNode convert(JsonNode v) {
            try {
                return F.textNode(LocalDate.parse(v.asText().strip().substring(0, Math.min(10, v.asText().strip()
                        .length()))).toString());
            } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
                throw bad("a date like \"2024-05-01\"", v);
            }
        }
    }

    static final class DateTimeType extends FieldType {
        final String name;
        final boolean millis;
        DateTimeType(String name, boolean millis) { this.name = name; this.millis = millis; }
        String name() { return name; }
        /** What the column holds: DateTime 1970 to 2106-02-07 06:28:15 UTC, DateTime64 1900 to 2299. */
        static final LocalDateTime MIN = LocalDateTime.of(1970, 1, 1, 0, 0);
        static final LocalDateTime MAX = LocalDateTime.of(2106, 2, 7, 6, 28, 15);
        static final LocalDateTime MIN64 = LocalDateTime.of(1900, 1, 1, 0, 0);
        static final LocalDateTime MAX64 = LocalDateTime.of(2299, 12, 31, 23, 59, 59, 999_000_000);
        JsonNode convert(JsonNode v) {
            LocalDateTime t = parse(v);
            LocalDateTime min = millis ? MIN64 : MIN;
            LocalDateTime max = millis ? MAX64 : MAX;
            if (t.isBefore(min) || t.isAfter(max)) {
                // the server would store another instant (it wraps or clamps), not what was sent
                throw new IllegalArgumentException(shown(v) + " is out of range for " + name + " (" + min + " to "
                        + max + " UTC)");
            }
            return F.textNode((millis ? CH_DATETIME64 : CH_DATETIME).format(t));
        }
        private static LocalDateTime parse(JsonNode v) {
            if (v.isIntegralNumber()) {
                try {
                    if (v.canConvertToLong()) {
                        return LocalDateTime.ofInstant(Instant.ofEpochSecond(v.longValue()), ZoneOffset.UTC);
                    }
                } catch (java.time.DateTimeException e) {
                    // beyond any instant: reported below
                }
                throw bad("a timestamp like \"2024-05-01T12:00:00Z\" or epoch seconds", v);
            }
            if (v.isTextual()) {
                String s = v.asText().strip();
                try {
                    return LocalDateTime.ofInstant(Instant.parse(s), ZoneOffset.UTC);
                } catch (DateTimeParseException ignored) {
                    // other spellings below
                }
                try {
                    return OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
                } catch (DateTimeParseException ignored) {
                    // other spellings below
                }
                try {
                    return LocalDateTime.parse(s.replace(' ', 'T'));
                } catch (DateTimeParseException ignored) {
                    // reported below
                }
            }
            throw bad("a timestamp like \"2024-05-01T12:00:00Z\" or epoch seconds", v);
        }
    }

    static final class EnumType extends FieldType {
        final String name;
        final List<String> values = new ArrayList<>();
        EnumType(String name, String body) {
            this.name = name;
            values.addAll(dcm.core.Sql.enumNames(body));
        }
        String name() { return name; }
        JsonNode convert(JsonNode v) {
            if (v.isTextual() && values.contains(v.asText())) {
                return v;
            }
            throw bad("one of " + values, v);
        }
    }

    static final class ArrayType extends FieldType {
        final FieldType element;
        ArrayType(FieldType element) { this.element = element; }
        String name() { return "Array(" + element.name() + ")"; }
        JsonNode convert(JsonNode v) {
            if (!v.isArray()) {
                throw bad("an array", v);
            }
            ArrayNode out = F.arrayNode();
            int i = 0;
            for (JsonNode e : v) {
                try {
                    out.add(e.isNull() && element.nullable() ? e : element.convert(e));
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("element " + i + ": " + ex.getMessage());
                }
                i++;
            }
            return out;
        }
        JsonNode fromText(String s) {
            try {
                return convert(new com.fasterxml.jackson.databind.ObjectMapper().readTree(s));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("expected a JSON array like [\"a\",\"b\"], got " + s);
            }
        }
    }

    /** A type this validator does not know: passed through for ClickHouse to judge. */
    static final class AnyType extends FieldType {
        final String name;
        AnyType(String name) { this.name = name; }
        String name() { return name; }
        JsonNode convert(JsonNode v) { return v; }
    }

    static ObjectNode object() {
        return F.objectNode();
    }
}
