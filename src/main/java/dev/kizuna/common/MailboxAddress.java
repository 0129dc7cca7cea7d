package dev.kizuna.common;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An email address, optionally with a name, as a From header takes it: {@code Acme <team@acme.example>}.
 * The message may use {@code {reason}}, what the parser found wrong.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE})
@Constraint(validatedBy = MailboxAddressValidator.class)
public @interface MailboxAddress {

    String message() default
            "is ${validatedValue}: must be an email address, optionally with a name, "
                    + "e.g. Acme <team@acme.example> ({reason})";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
