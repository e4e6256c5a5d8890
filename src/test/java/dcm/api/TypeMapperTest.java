package dcm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.core.ColumnSpec;
import dcm.core.Dialect;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TypeMapperTest {
    enum Color { RED, GREEN }

    record Everything(@Key String id, int i, long l, short s, byte b, double d, float f, boolean flag,
                      Instant at, LocalDate day, UUID uuid, BigDecimal money, List<String> tags, Set<Integer> ids,
                      Optional<Long> maybe, @Nullable String nick, Color color, int[] nums,
                      @ClickHouseType("LowCardinality(String)") String country, @Default("now()") Instant seen,
                      @RenamedFrom("old_name") String newName) {}

    record WithMap(String id, Map<String, Long> counts) {}

    record Nested(String id, Everything inner) {}

    @Test
    void mapsEveryDocumentedTypeOn18_16() {
        List<ColumnSpec> cols = TypeMapper.columns(Everything.class, Dialect.LEGACY_18_16);
        assertEquals(List.of("String", "Int32", "Int64", "Int16", "Int8", "Float64", "Float32", "UInt8",
                "DateTime", "Date", "UUID", "Decimal(38, 9)", "Array(String)", "Array(Int32)", "Nullable(Int64)",
                "Nullable(String)", "Enum8('RED' = 1, 'GREEN' = 2)", "Array(Int32)", "LowCardinality(String)",
                "DateTime", "String"), cols.stream().map(ColumnSpec::type).toList());
        assertTrue(cols.get(0).key());
        assertEquals("now()", cols.get(19).defaultExpr());
        assertEquals("old_name", cols.get(20).renamedFrom());
    }

    @Test
    void modernServersGetDateTime64AndMap() {
        assertEquals("DateTime64(3)", TypeMapper.columns(Everything.class, Dialect.MODERN).get(8).type());
        assertEquals("Map(String, Int64)", TypeMapper.columns(WithMap.class, Dialect.MODERN).get(1).type());
    }

    @Test
    void unsupportedTypesSayWhichFieldAndWhatToDo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TypeMapper.columns(WithMap.class, Dialect.LEGACY_18_16));
        assertTrue(e.getMessage().startsWith("WithMap.counts: Map needs ClickHouse 21.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TypeMapper.columns(Nested.class, Dialect.MODERN));
        assertTrue(e.getMessage().contains("Nested.inner: no ClickHouse type for Java type"), e.getMessage());
        assertTrue(e.getMessage().contains("@ClickHouseType"), e.getMessage());
    }

    record Event(@Key String id, String user, Instant at) {}

    @Test
    void assemblerMergesResourcesAndNamesThemPerVersion() {
        ModelRegistry.install(null);
        var settings = new ModelAssembler.Settings("1.0", "", 1000L, Dialect.LEGACY_18_16);
        ModelSpec m = ModelAssembler.assembleOne(List.of(
                new ModelAssembler.Definition(new OlapTable<>("Events", Event.class)
                        .lifeCycle(LifeCycle.DELETION_PROTECTED), "models/e.jsh:2"),
                new ModelAssembler.Definition(new Stream<>("Events", Event.class).partitions(3), "models/e.jsh:3")),
                settings);
        assertEquals("Events_1_0", m.table().name());
        assertEquals(List.of("id"), m.table().orderBy());
        assertEquals(LifeCycle.DELETION_PROTECTED, m.table().lifeCycle());
        assertEquals("Events_1_0", m.topic().name());
        assertEquals(3, m.topic().partitions());
        assertEquals("table+stream", m.kind());

        ModelSpec p = ModelAssembler.assembleOne(List.of(new ModelAssembler.Definition(
                new IngestPipeline<>("Events", Event.class).orderBy("user", "at"), "x:1")),
                new ModelAssembler.Settings("2.1", "ns", 5L, Dialect.MODERN));
        assertEquals("Events_2_1", p.table().name());
        assertEquals("ns.Events_2_1", p.topic().name());
        assertEquals(5L, p.topic().retentionMs());
        assertTrue(p.ingest());
    }

    @Test
    void twoTablesForOneModelIsAConflictNamingBothPlaces() {
        var settings = new ModelAssembler.Settings("1.0", "", 1000L, Dialect.MODERN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelAssembler.assembleOne(
                List.of(new ModelAssembler.Definition(new OlapTable<>("E", Event.class), "a.jsh:1"),
                        new ModelAssembler.Definition(new OlapTable<>("E", Event.class), "b.jsh:4")), settings));
        assertEquals("model E has an OlapTable twice (a.jsh:1 and b.jsh:4)", e.getMessage());
    }

    @Test
    void badModelNamesAreRejectedAtTheDsl() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OlapTable<>("bad-name", Event.class));
        assertTrue(e.getMessage().contains("model 'bad-name' is not a valid name"), e.getMessage());
    }
}
