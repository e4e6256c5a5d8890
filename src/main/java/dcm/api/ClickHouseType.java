package dcm.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Overrides the ClickHouse type of a field: {@code @ClickHouseType("LowCardinality(String)") String country}. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface ClickHouseType {
    /** The ClickHouse type, written as in CREATE TABLE. */
    String value();
}
