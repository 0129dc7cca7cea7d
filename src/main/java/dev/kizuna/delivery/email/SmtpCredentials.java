package dev.kizuna.delivery.email;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The SMTP user and password come as a pair: a password without a user would be ignored (no
 * authentication is attempted), and a user without a password fails at every send. The message
 * may use {@code {missing}}, what is set and what is not.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Constraint(validatedBy = SmtpCredentialsValidator.class)
public @interface SmtpCredentials {

    String message() default
            "has {missing}: kizuna.smtp.user and kizuna.smtp.password go together "
                    + "(both to authenticate to the mail server, neither to send without authentication)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
