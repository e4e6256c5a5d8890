package dcm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.api.Dcm;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ClickHouse's JSON values to records and back, without a server; {@link Dcm} outside a shell. */
class JavaValuesTest {
    enum Kind { A, B }

    record Row(String id, long big, short small, boolean flag, Instant at, LocalDateTime local, LocalDate day,
               Optional<Integer> maybe, List<String> tags, Set<Kind> kinds, Kind kind, double[] xs) {}

    private final JavaValues values = new JavaValues(ZoneId.of("Europe/Amsterdam"));

    @Test
    void aRowBecomesARecordOfItsTypes() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", "u1");
        row.put("big", "9007199254740993");             // Int64 comes quoted
        row.put("small", 41L);
        row.put("flag", 1L);                            // UInt8
        row.put("at", "2024-05-01 14:00:00");           // the server's zone: 12:00 UTC
        row.put("local", "2024-05-01 14:00:00.250");
        row.put("day", "2024-05-01");
        row.put("maybe", null);
        row.put("tags", List.of("x", "y"));
        row.put("kinds", List.of("B", "A"));
        row.put("kind", "B");
        row.put("xs", List.of(1.5, "inf"));
        Row r = values.record(Row.class, row, 1);
        assertEquals(9007199254740993L, r.big());
        assertEquals((short) 41, r.small());
        assertTrue(r.flag());
        assertEquals(Instant.parse("2024-05-01T12:00:00Z"), r.at());
        assertEquals(LocalDateTime.parse("2024-05-01T12:00:00.250"), r.local());
        assertEquals(Optional.empty(), r.maybe());
        assertEquals(Set.of(Kind.A, Kind.B), r.kinds());
        assertEquals(Double.POSITIVE_INFINITY, r.xs()[1]);
    }

    @Test
    void aValueThatDoesNotConvertNamesItsRowAndColumn() {
        Map<String, Object> row = new LinkedHashMap<>(Map.of("id", "u1", "big", "1", "small", 70000L, "flag", 0L,
                "at", "2024-05-01 14:00:00", "local", "2024-05-01 14:00:00", "day", "2024-05-01", "tags", List.of(),
                "kinds", List.of(), "kind", "C"));
        row.put("maybe", null);
        row.put("xs", List.of());
        var e = assertThrows(JavaValues.Unconvertible.class, () -> values.record(Row.class, row, 3));
        assertTrue(e.getMessage().startsWith("row 3, column 'small': cannot make short of 70000"), e.getMessage());
        row.put("small", 1L);
        e = assertThrows(JavaValues.Unconvertible.class, () -> values.record(Row.class, row, 3));
        assertTrue(e.getMessage().contains("column 'kind'") && e.getMessage().contains("not one of [A, B]"),
                e.getMessage());
    }

    @Test
    void recordsAndRowsBecomeJsonForTheIngestSchema() {
        record Out(String id, Optional<String> email, Kind kind, LocalDateTime at, List<Integer> n) {}
        assertEquals("{\"id\":\"a\",\"email\":null,\"kind\":\"B\",\"at\":\"2024-05-01T12:00:00Z\",\"n\":[1,2]}",
                JavaValues.json(new Out("a", Optional.empty(), Kind.B, LocalDateTime.parse("2024-05-01T12:00:00"),
                        List.of(1, 2))).toString());
        assertEquals("{\"id\":\"a\",\"age\":41}", JavaValues.json(Dcm.row("id", "a", "age", 41)).toString());
        assertThrows(IllegalArgumentException.class, () -> Dcm.row("id"));
    }

    @Test
    void outsideAShellDcmSaysSo() {
        var e = assertThrows(IllegalStateException.class, () -> Dcm.rows("Users"));
        assertTrue(e.getMessage().contains("no shell is running"), e.getMessage());
    }
}
