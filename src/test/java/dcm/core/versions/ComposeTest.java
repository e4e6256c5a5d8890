package dcm.core.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComposeTest {
    private static ModelSpec v(String version, ColumnSpec... columns) {
        return new ModelSpec("M", version, List.of(columns), null, null, false, "test");
    }

    @Test
    void referencesAreReplacedButNotFunctionsTypesLiteralsOrQualifiedNames() {
        Map<String, String> r = Map.of("a", "(x + 1)", "String", "(nope)", "f", "(nope)", "t", "(nope)");
        assertEquals("CAST((x + 1) AS String) || 'a' || f(a2) || t.a", Compose.substitute(
                "CAST(`a` AS String) || 'a' || f(a2) || t.a", r::get));
        assertEquals("concat((x + 1), 'it\\'s a')", Compose.substitute("concat(a, 'it\\'s a')", r::get));
    }

    @Test
    void twoStepsBecomeOneFromTheFirstVersion() {
        ModelSpec v10 = v("1.0", ColumnSpec.of("id", "String"), ColumnSpec.of("name", "String"),
                ColumnSpec.of("score", "String"), ColumnSpec.of("gone", "Int32"));
        ModelSpec v11 = v("1.1", ColumnSpec.of("id", "String"), new ColumnSpec("fullName", "String", false, null,
                "name"), ColumnSpec.of("score", "Int32"));
        ModelSpec v12 = v("1.2", ColumnSpec.of("id", "String"), ColumnSpec.of("fullName", "String"),
                ColumnSpec.of("score", "Int64"), new ColumnSpec("tag", "String", false, "concat('t', `id`)", null));
        Mapping m = Compose.of(Mapping.generate(v10, v11), Mapping.generate(v11, v12));
        assertEquals("1.0", m.from());
        assertEquals("1.2", m.to());
        String first = Mapping.convert(ColumnSpec.of("score", "String"), ColumnSpec.of("score", "Int32"));
        String second = Mapping.convert(ColumnSpec.of("score", "Int32"), ColumnSpec.of("score", "Int64"));
        assertEquals("SELECT (`id`) AS `id`, (`name`) AS `fullName`, " + second.replace("`score`", "(" + first + ")")
                + " AS `score`, CAST((concat('t', `id`)) AS String) AS `tag` FROM src", m.select("src"));
        assertEquals(List.of("gone"), m.dropped());
        Mapping thenDropped = Compose.of(Mapping.generate(v10, v11), Mapping.generate(v11, v("1.2",
                ColumnSpec.of("id", "String"), ColumnSpec.of("score", "Int32"))));
        assertEquals(List.of("gone", "name"), thenDropped.dropped(), "fullName, once name, is dropped in 1.2");
    }

    @Test
    void onlyConsecutiveStepsChain() {
        ModelSpec a = v("1.0", ColumnSpec.of("id", "String"));
        ModelSpec b = v("1.1", ColumnSpec.of("id", "String"));
        ModelSpec c = v("1.2", ColumnSpec.of("id", "String"));
        assertThrows(IllegalArgumentException.class, () -> Compose.of(Mapping.generate(a, b), Mapping.generate(a, c)));
    }
}
