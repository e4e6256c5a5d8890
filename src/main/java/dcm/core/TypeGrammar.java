package dcm.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A recursive-descent parser for one ClickHouse type, as written in CREATE TABLE, followed by a check of the argument
 * shapes of the families this tool knows. Families it does not know pass when their arguments are well formed: the
 * server check decides whether they exist.
 *
 * <pre>
 * type := name [ '(' arg { ',' arg } ')' ]
 * arg  := type | name type (a named tuple element) | number | string [ '=' integer ] (an enum value)
 * </pre>
 */
final class TypeGrammar {
    /** An argument of a type: a type, a named element, a number, a string or an enum value. */
    sealed interface Arg permits Node, Named, Num, Str, EnumValue {
        int at();
    }

    /** A type: {@code Name} or {@code Name(args)}; {@code at} is its 0-based offset. */
    record Node(String name, List<Arg> args, int at) implements Arg {}

    /** A named tuple element: {@code a String}. */
    record Named(String name, Node type, int at) implements Arg {}

    /** A number as written. */
    record Num(String text, int at) implements Arg {}

    /** A string literal, unescaped. */
    record Str(String value, int at) implements Arg {}

    /** An enum value: {@code 'name' = 1}. */
    record EnumValue(String name, long value, int at) implements Arg {}

    /** A parse or shape failure at a 0-based offset. */
    static final class Failure extends RuntimeException {
        final int at;

        Failure(String message, int at) {
            super(message, null, false, false);
            this.at = at;
        }
    }

    private static final Set<String> NO_ARGS = Set.of("String", "UUID", "Date", "Date32", "Float32", "Float64",
            "Int8", "Int16", "Int32", "Int64", "Int128", "Int256", "UInt8", "UInt16", "UInt32", "UInt64", "UInt128",
            "UInt256", "Bool", "IPv4", "IPv6", "Nothing");
    private static final Set<String> ONE_TYPE = Set.of("Array", "Nullable", "LowCardinality");
    private static final Map<String, long[]> ENUM_RANGE = Map.of("Enum8", new long[] {-128, 127},
            "Enum16", new long[] {-32768, 32767});

    private final String s;
    private int pos;

    private TypeGrammar(String s) {
        this.s = s;
    }

    /** Parses exactly one type and checks its shape; throws {@link Failure}. */
    static Node parse(String text) {
        TypeGrammar g = new TypeGrammar(text);
        g.blanks();
        Node node = g.type();
        g.blanks();
        if (g.pos < text.length()) {
            throw new Failure("expected the end of the type at column " + (g.pos + 1) + " but found " + g.found()
                    + "; write exactly one type", g.pos);
        }
        shape(node);
        return node;
    }

    private Node type() {
        int at = pos;
        String name = name("a type name");
        blanks();
        return new Node(name, peek('(') ? args() : List.of(), at);
    }

    private List<Arg> args() {
        int open = pos++;
        List<Arg> args = new ArrayList<>();
        do {
            blanks();
            args.add(arg());
            blanks();
        } while (take(','));
        if (!take(')')) {
            throw new Failure("expected ',' or ')' at column " + (pos + 1) + " but found " + found()
                    + " (the '(' at column " + (open + 1) + " is not closed)", pos);
        }
        return args;
    }

    private Arg arg() {
        int at = pos;
        if (peek('\'')) {
            String value = string();
            blanks();
            if (!take('=')) {
                return new Str(value, at);
            }
            blanks();
            int numAt = pos;
            String n = number();
            if (n == null || n.contains(".")) {
                throw new Failure("expected a whole number after '=' at column " + (numAt + 1) + " but found "
                        + found(), numAt);
            }
            return new EnumValue(value, Long.parseLong(n), at);
        }
        String n = number();
        if (n != null) {
            return new Num(n, at);
        }
        String name = name("a type, a number or a quoted string");
        int afterName = pos;
        blanks();
        if (pos > afterName && pos < s.length() && isNameStart(s.charAt(pos))) {
            return new Named(name, type(), at);
        }
        return new Node(name, peek('(') ? args() : List.of(), at);
    }

    private String name(String expected) {
        int start = pos;
        if (pos >= s.length() || !isNameStart(s.charAt(pos))) {
            throw new Failure("expected " + expected + " at column " + (pos + 1) + " but found " + found(), pos);
        }
        while (pos < s.length() && (isNameStart(s.charAt(pos)) || Character.isDigit(s.charAt(pos)))) {
            pos++;
        }
        return s.substring(start, pos);
    }

    private String number() {
        int start = pos;
        if (pos < s.length() && s.charAt(pos) == '-') {
            pos++;
        }
        int digits = pos;
        while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || (s.charAt(pos) == '.' && pos > digits))) {
            pos++;
        }
        if (pos == digits || s.charAt(pos - 1) == '.') {
            pos = start;
            return null;
        }
        return s.substring(start, pos);
    }

    private String string() {
        int open = pos++;
        StringBuilder out = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '\'') {
                return out.toString();
            }
            if (c == '\\') {
                if (pos >= s.length()) {
                    break;
                }
                c = s.charAt(pos++);
            }
            out.append(c);
        }
        throw new Failure("the string opened at column " + (open + 1) + " is not closed", open);
    }

    private void blanks() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private boolean peek(char c) {
        return pos < s.length() && s.charAt(pos) == c;
    }

    private boolean take(char c) {
        if (peek(c)) {
            pos++;
            return true;
        }
        return false;
    }

    private String found() {
        return pos >= s.length() ? "the end" : "'" + s.charAt(pos) + "'";
    }

    private static boolean isNameStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    // ---- shapes of the families this tool knows

    private static void shape(Node t) {
        String n = t.name();
        List<Arg> a = t.args();
        if (n.equals("Nested")) {
            throw new Failure("Nested at column " + (t.at() + 1) + " expands into several columns that cannot be"
                    + " matched to one field; use Array(Tuple(...)) or one Array field per element", t.at());
        }
        if (NO_ARGS.contains(n) && !a.isEmpty()) {
            throw fail(t, n + " takes no arguments");
        } else if (ONE_TYPE.contains(n)) {
            expect(t, a.size() == 1 && a.get(0) instanceof Node, n + " takes one type, e.g. " + n + "(String)");
        } else if (n.equals("Map")) {
            expect(t, a.size() == 2 && a.stream().allMatch(x -> x instanceof Node), "Map takes two types, e.g."
                    + " Map(String, UInt64)");
        } else if (n.equals("FixedString")) {
            expect(t, a.size() == 1 && positive(a.get(0)), "FixedString takes a length, e.g. FixedString(16)");
        } else if (n.equals("Decimal")) {
            expect(t, (a.size() == 1 || a.size() == 2) && a.stream().allMatch(TypeGrammar::whole),
                    "Decimal takes a precision and a scale, e.g. Decimal(38, 9)");
        } else if (n.matches("Decimal(32|64|128|256)")) {
            expect(t, a.size() == 1 && whole(a.get(0)), n + " takes a scale, e.g. " + n + "(4)");
        } else if (n.equals("DateTime")) {
            expect(t, a.isEmpty() || (a.size() == 1 && a.get(0) instanceof Str),
                    "DateTime takes at most a time zone, e.g. DateTime('UTC')");
        } else if (n.equals("DateTime64")) {
            expect(t, (a.size() == 1 || a.size() == 2) && whole(a.get(0)) && (a.size() == 1 || a.get(1) instanceof Str),
                    "DateTime64 takes a precision and optionally a time zone, e.g. DateTime64(3, 'UTC')");
        } else if (ENUM_RANGE.containsKey(n)) {
            enumValues(t);
        } else if (n.equals("Tuple")) {
            expect(t, !a.isEmpty() && a.stream().allMatch(x -> x instanceof Node || x instanceof Named),
                    "Tuple takes types, optionally named, e.g. Tuple(String, UInt8) or Tuple(a String, b UInt8)");
        } else if (n.endsWith("AggregateFunction")) {
            expect(t, a.size() >= 2 && a.stream().allMatch(x -> x instanceof Node), n + " takes a function and its"
                    + " argument types, e.g. " + n + "(uniq, String)");
        }
        for (Arg x : a) {
            if (x instanceof EnumValue && !ENUM_RANGE.containsKey(n)) {
                throw new Failure("an enum value at column " + (x.at() + 1) + " belongs in Enum8 or Enum16, not in "
                        + n, x.at());
            }
            if (x instanceof Named && !n.equals("Tuple")) {
                throw new Failure("a named element at column " + (x.at() + 1) + " belongs in Tuple, not in " + n,
                        x.at());
            }
            // exhaustive over the sealed Arg: a new kind of argument that holds a type must have it checked too
            if (x instanceof Node inner) {
                shape(inner);
            } else if (x instanceof Named named) {
                shape(named.type());
            } else if (!(x instanceof Num || x instanceof Str || x instanceof EnumValue)) {
                throw new IllegalStateException("unhandled type argument: " + x);
            }
        }
    }

    private static void enumValues(Node t) {
        long[] range = ENUM_RANGE.get(t.name());
        expect(t, !t.args().isEmpty() && t.args().stream().allMatch(x -> x instanceof EnumValue),
                t.name() + " takes values written 'name' = number, e.g. " + t.name() + "('a' = 1, 'b' = 2)");
        Set<String> names = new HashSet<>();
        Set<Long> values = new HashSet<>();
        for (Arg x : t.args()) {
            EnumValue v = (EnumValue) x;
            if (v.value() < range[0] || v.value() > range[1]) {
                throw new Failure(t.name() + " value " + v.value() + " at column " + (v.at() + 1) + " is outside "
                        + range[0] + ".." + range[1] + (t.name().equals("Enum8") ? "; use Enum16" : ""), v.at());
            }
            if (!names.add(v.name()) || !values.add(v.value())) {
                throw new Failure(t.name() + " repeats the name or number of '" + v.name() + "' = " + v.value()
                        + " at column " + (v.at() + 1), v.at());
            }
        }
    }

    private static boolean whole(Arg a) {
        return a instanceof Num n && n.text().matches("\\d+");
    }

    private static boolean positive(Arg a) {
        return whole(a) && !((Num) a).text().matches("0+");
    }

    private static void expect(Node t, boolean ok, String rule) {
        if (!ok) {
            throw fail(t, rule);
        }
    }

    private static Failure fail(Node t, String rule) {
        return new Failure(t.name() + " at column " + (t.at() + 1) + " has arguments of the wrong shape: " + rule,
                t.at());
    }
}
