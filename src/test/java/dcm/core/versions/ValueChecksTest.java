package dcm.core.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.core.ColumnSpec;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueChecksTest {
    private static ValueChecks.Check check(String from, String to) {
        return new ValueChecks.Check("age", "age", from, to, "1.1");
    }

    private static String refusal(ValueChecks.Check c, Object v) {
        return assertThrows(IllegalArgumentException.class, () -> ValueChecks.convert(c, v)).getMessage();
    }

    @Test
    void textToAnIntegerMustReadBackAsTheSameTextAndFit() {
        ValueChecks.Check c = check("String", "UInt16");
        assertEquals(new BigDecimal(65535), ValueChecks.convert(c, "65535"));
        // what CAST would wrap (70000 as UInt16 is 4464) or refuse
        assertTrue(refusal(c, "70000").startsWith("'70000' is out of the range of UInt16 (0 to 65535): version 1.1"
                + " converts age to age UInt16 and would refuse it"), refusal(c, "70000"));
        assertTrue(refusal(c, "-1").contains("out of the range"));
        assertTrue(refusal(c, "+5").contains("is not written as 5"));
        assertTrue(refusal(c, "05").contains("is not written as 5"));
        assertTrue(refusal(c, "5.0").contains("is not a whole number"));
        assertTrue(refusal(c, "").contains("is not a whole number"));
        assertEquals(new BigDecimal(-128), ValueChecks.convert(check("String", "Int8"), "-128"));
        assertTrue(refusal(check("String", "Int8"), "-129").contains("(-128 to 127)"));
    }

    @Test
    void numbersToIntegersMustBeWholeAndFit() {
        assertEquals(new BigDecimal(5), ValueChecks.convert(check("Float64", "UInt8"), new BigDecimal("5.0")));
        assertTrue(refusal(check("Float64", "UInt8"), new BigDecimal("5.5")).contains("not a whole number"));
        assertTrue(refusal(check("Int32", "UInt32"), new BigDecimal(-1)).contains("out of the range"));
        assertEquals(null, ValueChecks.convert(check("Nullable(Int32)", "Nullable(UInt32)"), null));
    }

    @Test
    void textToDatesMustBeRealDatesInRange() {
        assertEquals("2020-02-29", ValueChecks.convert(check("String", "Date"), "2020-02-29"));
        assertTrue(refusal(check("String", "Date"), "2020-13-01").contains("is not a Date written as YYYY-MM-DD"));
        assertTrue(refusal(check("String", "Date"), "1969-12-31").contains("outside"));
        assertEquals("2020-01-01 10:00:00", ValueChecks.convert(check("String", "DateTime"), "2020-01-01 10:00:00"));
        assertTrue(refusal(check("String", "DateTime"), "2020-01-01T10:00:00").contains("YYYY-MM-DD hh:mm:ss"));
    }

    @Test
    void aVersionsChecksFollowItsFieldsThroughEveryLaterGeneratedStep() {
        ColumnSpec id = ColumnSpec.of("id", "String");
        Map<String, List<dcm.core.ModelSpec>> old = new LinkedHashMap<>();
        old.put("1.0", List.of(VersionsTest.users("1.0", id, ColumnSpec.of("age", "String"))));
        old.put("1.1", List.of(VersionsTest.users("1.1", id, new ColumnSpec("years", "Int32", false, null, "age"))));
        Desired d = Versions.desired(List.of(VersionsTest.users("1.2", id, ColumnSpec.of("years", "UInt8"))), old,
                Mappings.GENERATED, false);
        Map<String, List<ValueChecks.Check>> checks = ValueChecks.of(d);
        assertEquals(List.of(new ValueChecks.Check("age", "years", "String", "Int32", "1.1"),
                new ValueChecks.Check("age", "years", "Int32", "UInt8", "1.2")), checks.get("Users@1.0"));
        assertEquals(List.of(new ValueChecks.Check("years", "years", "Int32", "UInt8", "1.2")),
                checks.get("Users@1.1"));
        assertEquals(List.of(), checks.get("Users@1.2"));
    }
}
