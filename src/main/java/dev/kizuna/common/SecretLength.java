package dev.kizuna.common;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A secret of at least {@link #min()} characters. A violation reports its length, never the
 * secret: the message may use {@code {length}} and {@code {min}}, but must not show the value.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE})
@Constraint(validatedBy = SecretLengthValidator.class)
public @interface SecretLength {

    int min();

    String message() default "has {length} characters: it needs at least {min}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
