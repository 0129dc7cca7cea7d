package dev.kizuna.delivery.email;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/** Checks {@link SmtpCredentials}; neither value is shown, the password least of all. */
public class SmtpCredentialsValidator implements ConstraintValidator<SmtpCredentials, SmtpConfig> {

    @Override
    public boolean isValid(SmtpConfig smtp, ConstraintValidatorContext context) {
        if (smtp == null || smtp.user().isPresent() == smtp.password().isPresent()) {
            return true;
        }
        String missing = smtp.user().isPresent() ? "a user but no password" : "a password but no user";
        context.unwrap(HibernateConstraintValidatorContext.class).addMessageParameter("missing", missing);
        return false;
    }
}
