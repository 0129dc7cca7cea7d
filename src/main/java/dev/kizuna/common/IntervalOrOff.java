package dev.kizuna.common;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The interval of a periodic job as the scheduler reads it: "off" (or "disabled"), or a duration
 * longer than 0 such as 30s, 5m, 1h, 1d or PT10M. Checked with the rest of the configuration, so
 * a bad interval names its key instead of failing inside the scheduler.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE})
@Constraint(validatedBy = IntervalOrOffValidator.class)
public @interface IntervalOrOff {

    String message() default "is ${validatedValue}: must be off or a duration longer than 0, such as 30s, 5m or 1h";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
