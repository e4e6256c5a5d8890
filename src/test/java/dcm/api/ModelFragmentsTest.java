package dcm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dcm.core.Dialect;
import dcm.core.ModelSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-written SQL in a model is checked where the model is assembled, and the problem names its field. */
class ModelFragmentsTest {
    record SneakyType(@Key String id, @ClickHouseType("String, evil UInt8") String name) {}

    record SneakyDefault(@Key String id, @Default("1) ENGINE = Memory AS SELECT 1") int n) {}

    record CommentDefault(@Key String id, @Default("'a' -- \"quoted\"") String s) {}

    record Good(@Key String id, @ClickHouseType(" Enum8('a' = 1, 'it\\'s' = 2) ") String e,
                @Default("concat(id, '-x')") String derived, @Default("now()") Instant at, byte sign, long ver) {}

    private static final ModelAssembler.Settings SETTINGS = new ModelAssembler.Settings("1.0", "", 1000L,
            Dialect.LEGACY_18_16);

    private static ModelSpec assemble(OlapTable<?> table) {
        return ModelAssembler.assembleOne(List.of(new ModelAssembler.Definition(table, "models/m.jsh:3")), SETTINGS);
    }

    @Test
    void aTypeThatIsNotOneTypeIsRefusedAtItsField() {
        ModelProblem p = assertThrows(ModelProblem.class,
                () -> TypeMapper.columns(SneakyType.class, Dialect.MODERN));
        assertEquals("name", p.field());
        assertEquals("SneakyType.name: @ClickHouseType(\"String, evil UInt8\") is not one ClickHouse type: expected"
                + " the end of the type at column 7 but found ','; write exactly one type", p.getMessage());
    }

    @Test
    void aDefaultThatEndsEarlyIsRefusedAtItsField() {
        ModelProblem p = assertThrows(ModelProblem.class,
                () -> TypeMapper.columns(SneakyDefault.class, Dialect.MODERN));
        assertEquals("n", p.field());
        assertEquals("SneakyDefault.n: @Default(\"1) ENGINE = Memory AS SELECT 1\") is not one expression: ')' at"
                + " column 2 closes nothing; the brackets are unbalanced", p.getMessage());
        p = assertThrows(ModelProblem.class, () -> TypeMapper.columns(CommentDefault.class, Dialect.MODERN));
        assertEquals("s", p.field());
        assertEquals("CommentDefault.s: @Default(\"'a' -- \\\"quoted\\\"\") is not one expression: a comment starts"
                + " at column 5; comments are not allowed in an expression", p.getMessage());
    }

    @Test
    void goodFragmentsPassAsWritten() {
        ModelSpec m = assemble(new OlapTable<>("G", Good.class).engine("VersionedCollapsingMergeTree(sign, ver)")
                .partitionBy("toYYYYMM(at)"));
        assertEquals("Enum8('a' = 1, 'it\\'s' = 2)", m.columns().get(1).type());
        assertEquals("concat(id, '-x')", m.columns().get(2).defaultExpr());
        assertEquals("VersionedCollapsingMergeTree(sign, ver)", m.table().engine());
        assertEquals("toYYYYMM(at)", m.table().partitionBy());
    }

    @Test
    void anEngineTypoGetsTheNearestName() {
        ModelProblem p = assertThrows(ModelProblem.class,
                () -> new OlapTable<>("G", Good.class).engine("ReplacingMergTree(ver)"));
        assertNull(p.field());
        assertEquals("table G: engine(\"ReplacingMergTree(ver)\") is not an engine this tool creates: did you mean"
                + " ReplacingMergeTree?", p.getMessage());
    }

    @Test
    void engineArgumentsMustBeColumnsOfFittingTypes() {
        ModelProblem p = assertThrows(ModelProblem.class,
                () -> assemble(new OlapTable<>("G", Good.class).engine("CollapsingMergeTree(ver)")));
        assertNull(p.field());
        assertEquals("model G: engine \"CollapsingMergeTree(ver)\" needs its sign column ver to be Int8 (1 or -1),"
                + " but it is Int64; declare it as byte", p.getMessage());
        p = assertThrows(ModelProblem.class,
                () -> assemble(new OlapTable<>("G", Good.class).engine("ReplacingMergeTree(version)")));
        assertEquals("model G: engine \"ReplacingMergeTree(version)\" names version as its version column, but the"
                + " schema has no such field; fields are [id, e, derived, at, sign, ver]", p.getMessage());
    }

    @Test
    void aPartitionThatEndsEarlyIsRefused() {
        ModelProblem p = assertThrows(ModelProblem.class,
                () -> new OlapTable<>("G", Good.class).partitionBy("toYYYYMM(at) SETTINGS index_granularity = 1"));
        assertEquals("table G: partitionBy(\"toYYYYMM(at) SETTINGS index_granularity = 1\") is not one expression:"
                + " SETTINGS at column 14 would end the expression and begin another clause; outside parentheses an"
                + " expression cannot contain it (if it names a column, quote it: `SETTINGS`)", p.getMessage());
        p = assertThrows(ModelProblem.class, () -> new OlapTable<>("G", Good.class).partitionBy(""));
        assertEquals("table G: partitionBy(\"\") is not one expression: it is empty; write an expression, e.g. 0"
                + " or toYYYYMM(at)", p.getMessage());
    }
}
