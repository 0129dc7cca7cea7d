package dev.kizuna.common;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An absolute http or https address with a host, e.g. https://kizuna.example.com: the message
 * of each use says what the address is for.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE})
@Constraint(validatedBy = HttpAddressValidator.class)
public @interface HttpAddress {

    String message() default "is ${validatedValue}: must be an http or https address, e.g. https://kizuna.example.com";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
