package dcm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NamesAndSqlTest {
    @Test
    void versionedNamesUseUnderscores() {
        assertEquals("Users_1_0", Names.versioned("Users", "1.0"));
        assertEquals("Users_2_10_3", Names.versioned("Users", "2.10.3"));
        assertEquals("ns.Users_1_0", Names.topic("ns", "Users", "1.0"));
        assertEquals("Users_1_0", Names.topic("", "Users", "1.0"));
        assertEquals("/ingest/Users/1.0", Names.ingestRoute("Users", "1.0"));
    }

    @Test
    void versionsCompareNumerically() {
        assertTrue(Names.compareVersions("1.10", "1.9") > 0);
        assertEquals(0, Names.compareVersions("1.0", "1"));
        assertTrue(Names.compareVersions("0.9", "1.0") < 0);
    }

    @Test
    void unsafeNamesAreRejectedNotEscaped() {
        assertEquals("`Users_1_0`", Sql.id("Users_1_0"));
        assertEquals("`local`.`t`", Sql.table("local", "t"));
        for (String bad : new String[] {"a`b", "a b", "1abc", "", "a;drop", "x\"y", "é"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sql.id(bad));
            assertTrue(e.getMessage().contains("letters, digits and underscores"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Names.versioned("Users", "1.x"));
        assertFalse(Names.isValidVersion("1..0"));
    }

    @Test
    void stringLiteralsEscapeQuotesAndBackslashes() {
        assertEquals("'it\\'s'", Sql.str("it's"));
        assertEquals("'a\\\\b'", Sql.str("a\\b"));
        assertEquals("'l1\\nl2'", Sql.str("l1\nl2"));
    }

    @Test
    void dialectChoosesByServerVersion() {
        assertFalse(Dialect.LEGACY_18_16.renameColumn());
        assertFalse(Dialect.LEGACY_18_16.dateTime64());
        assertTrue(Dialect.LEGACY_18_16.lowCardinalityExperimental());
        assertTrue(Dialect.MODERN.renameColumn());
        assertTrue(Dialect.MODERN.dateTime64());
        assertTrue(Dialect.MODERN.mapType());
        assertTrue(new Dialect("20.4.2").renameColumn());
        assertFalse(new Dialect("20.3.9").renameColumn());
    }

    @Test
    void tableSpecRejectsOrderByOfUnknownColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TableSpec("T_1_0",
                java.util.List.of(ColumnSpec.of("id", "String")), "MergeTree", java.util.List.of("nope"), null,
                LifeCycle.FULLY_MANAGED));
        assertTrue(e.getMessage().contains("ORDER BY field 'nope' is not a column; columns are [id]"),
                e.getMessage());
    }

    @Test
    void theNextMinorVersion() {
        org.junit.jupiter.api.Assertions.assertEquals("1.1", Names.nextMinor("1.0"));
        org.junit.jupiter.api.Assertions.assertEquals("1.10", Names.nextMinor("1.9"));
        org.junit.jupiter.api.Assertions.assertEquals("2.1", Names.nextMinor("2"));
        org.junit.jupiter.api.Assertions.assertEquals("1.3", Names.nextMinor("1.2.3"));
    }
}
