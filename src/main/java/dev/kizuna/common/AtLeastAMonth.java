package dev.kizuna.common;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A period of at least one month: 特定電子メール法 asks that the evidence of a consent be kept at
 * least a month after the last email sent on it, so the configuration refuses less.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE})
@Constraint(validatedBy = AtLeastAMonthValidator.class)
public @interface AtLeastAMonth {

    String message() default
            "is ${validatedValue}: must be at least one month (P1M), as Japan's law asks consent evidence to be kept";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
