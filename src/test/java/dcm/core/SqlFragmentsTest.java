package dcm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.core.SqlFragments.Flaw;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SqlFragmentsTest {
    private static Flaw flaw(Optional<Flaw> f, String fragment) {
        assertTrue(f.isPresent(), "expected a flaw in: " + fragment);
        return f.get();
    }

    private static void typeFails(String type, int column, String... words) {
        Flaw f = flaw(SqlFragments.type(type), type);
        assertEquals(column, f.column(), f.message());
        for (String w : words) {
            assertTrue(f.message().contains(w), type + " -> " + f.message());
        }
    }

    private static void exprFails(String expr, int column, String... words) {
        Flaw f = flaw(SqlFragments.expression(expr), expr);
        assertEquals(column, f.column(), f.message());
        for (String w : words) {
            assertTrue(f.message().contains(w), expr + " -> " + f.message());
        }
    }

    @Test
    void acceptsTheTypesModelsWrite() {
        for (String t : List.of("String", " UInt8 ", "Array(Nullable(String))", "Map(String, Array(UInt8))",
                "Tuple(String, UInt8)", "Tuple(a String, b Nullable(UInt8))", "DateTime64(3, 'UTC')",
                "DateTime('Europe/Amsterdam')", "Decimal(38, 9)", "Decimal64(4)", "LowCardinality(Nullable(String))",
                "FixedString(16)", "AggregateFunction(uniq, String)", "AggregateFunction(quantiles(0.5, 0.9), UInt64)",
                "SimpleAggregateFunction(sum, UInt64)", "Enum8('RED' = 1, 'GREEN' = 2)",
                "Enum16('it\\'s' = -1000, 'b' = 2000)", "Enum8('a'=1,'b'=2)", "IPv4", "Array(Array(Int32))",
                "VeryNewType(1, 'x', Other)")) {
            assertEquals(Optional.empty(), SqlFragments.type(t), t);
        }
    }

    @Test
    void refusesAnythingButExactlyOneType() {
        typeFails("String, evil UInt8", 7, "expected the end of the type at column 7", "found ','");
        typeFails("String) ENGINE = Memory", 7, "expected the end of the type");
        typeFails("Array(String", 13, "expected ',' or ')' at column 13", "found the end", "'(' at column 6");
        typeFails("Nullable(String) DEFAULT 1", 18, "expected the end of the type");
        typeFails("String -- x", 8, "expected the end");
        typeFails("Enum8('a = 1)", 7, "string opened at column 7 is not closed");
        typeFails("Enum8('a' = x)", 13, "expected a whole number after '=' at column 13");
        typeFails("", 0, "is empty");
        typeFails("(String)", 1, "expected a type name at column 1");
        typeFails("Array()", 7, "expected a type, a number or a quoted string at column 7");
    }

    @Test
    void checksTheArgumentsOfFamiliesItKnows() {
        typeFails("String(10)", 1, "String takes no arguments");
        typeFails("Array(3)", 1, "Array takes one type");
        typeFails("Nullable(String, UInt8)", 1, "Nullable takes one type");
        typeFails("Map(String)", 1, "Map takes two types");
        typeFails("FixedString(0)", 1, "FixedString takes a length");
        typeFails("Decimal(38, 'x')", 1, "Decimal takes a precision and a scale");
        typeFails("DateTime64('UTC')", 1, "DateTime64 takes a precision");
        typeFails("Enum8('a', 'b')", 1, "'name' = number");
        typeFails("Enum8('a' = 1, 'b' = 300)", 16, "outside -128..127", "use Enum16");
        typeFails("Enum8('a' = 1, 'a' = 2)", 16, "repeats");
        typeFails("Array(Foo('a' = 1))", 11, "enum value at column 11 belongs in Enum8 or Enum16, not in Foo");
        typeFails("Array(a String)", 1, "Array takes one type");
        typeFails("Foo(a String)", 5, "named element at column 5 belongs in Tuple, not in Foo");
        typeFails("Array(Nested(a String))", 7, "Nested", "Array(Tuple(...))");
    }

    @Test
    void acceptsOrdinaryExpressions() {
        for (String e : List.of("now()", "0", "''", "'it''s; -- not a comment'", "'a\\'b'", "toYYYYMM(at)",
                "(toYYYYMM(at), country)", "tuple(a, b)", "concat(id, '-', toString(n))", "[1, 2, 3]",
                "if(x > 0, 'pos', 'neg')", "CASE WHEN x IS NULL THEN 0 ELSE x END", "`order` + 1",
                "arrayMap(x -> x * 2, nums)", "-1.5e-3", "0x1F", "format('{} {}', a, b)", "x != 1 AND y <= 2",
                "toDate(at) + INTERVAL 1 DAY", "a || 'x'", "x IN (1, 2)", "CAST(n AS String)", "x ? 1 : 2")) {
            assertEquals(Optional.empty(), SqlFragments.expression(e), e);
        }
    }

    @Test
    void refusesWhatCouldEndTheExpressionEarly() {
        exprFails("1) ENGINE = Memory AS SELECT 1", 2, "')' at column 2 closes nothing");
        exprFails("1; DROP TABLE t", 2, "';' at column 2");
        exprFails("1 -- rest", 3, "comment");
        exprFails("1 /* x */", 3, "comment");
        exprFails("1 # x", 3, "comment");
        exprFails("1, evil UInt8", 2, "',' at column 2 is outside parentheses");
        exprFails("toYYYYMM(at) ORDER BY id", 14, "ORDER at column 14 would end the expression");
        exprFails("1 SETTINGS max_threads = 1", 3, "SETTINGS");
        exprFails("1 FORMAT JSON", 3, "FORMAT");
        exprFails("1 INTO OUTFILE '/tmp/x'", 3, "INTO");
        exprFails("x ttl (d + 1)", 3, "TTL", "`ttl`");
        exprFails("order + 1", 1, "ORDER", "`order`");
        exprFails("(SELECT max(n) FROM other)", 2, "SELECT at column 2 starts a subquery");
        exprFails("1SETTINGS", 1, "'1SETTINGS' at column 1 is not a number");
    }

    @Test
    void refusesUnbalancedOrOddText() {
        exprFails("", 0, "is empty");
        exprFails("   ", 0, "is empty");
        exprFails("concat('a", 8, "string opened at column 8 is not closed");
        exprFails("f(x", 2, "'(' at column 2 is never closed");
        exprFails("f(x]", 4, "']' at column 4 does not match the '(' at column 2");
        exprFails("`a` + `b c`", 7, "`b c` at column 7 is not a quoted column name");
        exprFails("`abc", 1, "not closed");
        exprFails("$$'$$, evil UInt8 -- '", 1, "'$' at column 1 is not part of an expression");
        exprFails("{'a': 1}", 1, "'{' at column 1");
        exprFails("naïve", 3, "'ï' at column 3");
    }

    @Test
    void enginesAreMergeTreeFamilyWithColumnArguments() {
        Map<String, String> cols = Map.of("id", "String", "ver", "UInt64", "sign", "Int8", "n", "Int32",
                "deleted", "UInt8");
        for (String e : List.of("MergeTree", "MergeTree()", "ReplacingMergeTree", "ReplacingMergeTree(ver)",
                "ReplacingMergeTree(`ver`, deleted)", "SummingMergeTree", "SummingMergeTree(n)",
                "SummingMergeTree((n, ver))", "AggregatingMergeTree()", "CollapsingMergeTree(sign)",
                " VersionedCollapsingMergeTree(sign, ver) ")) {
            assertEquals(Optional.empty(), SqlFragments.engine(e, cols), e);
        }
        assertEquals(Optional.empty(), SqlFragments.engine("ReplacingMergeTree(anything)"), "no columns known yet");
        assertEquals("is not an engine this tool creates: did you mean ReplacingMergeTree?",
                flaw(SqlFragments.engine("ReplacingMergTree(ver)", cols), "").message());
        assertEquals("is not an engine this tool creates: did you mean MergeTree?",
                flaw(SqlFragments.engine("mergetree"), "").message());
        assertTrue(flaw(SqlFragments.engine("ReplicatedMergeTree('/p', 'r')"), "").message()
                .contains("names the replication itself; write MergeTree: on a cluster"));
        assertTrue(flaw(SqlFragments.engine("Memory"), "").message().contains("not a MergeTree-family engine"));
        assertTrue(flaw(SqlFragments.engine("Quux"), "").message().contains("use one of [MergeTree,"));
        assertTrue(flaw(SqlFragments.engine("CollapsingMergeTree"), "").message()
                .contains("has 0 arguments; CollapsingMergeTree takes 1 (sign)"));
        assertTrue(flaw(SqlFragments.engine("MergeTree(date, (id), 8192)"), "").message()
                .contains("has 3 arguments; MergeTree takes no arguments (the keys go in orderBy/partitionBy"));
        assertTrue(flaw(SqlFragments.engine("MergeTree() ORDER BY id"), "").message()
                .contains("is not an engine name"));
        assertTrue(flaw(SqlFragments.engine("ReplacingMergeTree(ver) ENGINE = Memory AS SELECT (1)"), "").message()
                .contains("unbalanced"));
        assertTrue(flaw(SqlFragments.engine("ReplacingMergeTree(ver + 1)"), "").message()
                .contains("'ver + 1' as its version argument, which is not a column name"));
        assertTrue(flaw(SqlFragments.engine("ReplacingMergeTree(version)", cols), "").message()
                .contains("names version as its version column, but the schema has no such field"));
        assertTrue(flaw(SqlFragments.engine("ReplacingMergeTree(id)", cols), "").message()
                .contains("version column id to be an integer, Date or DateTime, but it is String"));
        assertTrue(flaw(SqlFragments.engine("CollapsingMergeTree(n)", cols), "").message()
                .contains("sign column n to be Int8"));
        assertTrue(flaw(SqlFragments.engine("SummingMergeTree((n, nope))", cols), "").message()
                .contains("names nope as its sum column"));
    }
}
