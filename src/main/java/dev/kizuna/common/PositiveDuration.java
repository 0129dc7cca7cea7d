package dev.kizuna.common;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A duration longer than 0: an interval, timeout or lifetime of 0 or less would stop a component
 * or make it spin, so the configuration refuses it at start-up.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE})
@Constraint(validatedBy = PositiveDurationValidator.class)
public @interface PositiveDuration {

    String message() default "is ${validatedValue}: must be a duration longer than 0, e.g. 30s, 5m, 8h or 7d";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
