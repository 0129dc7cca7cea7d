package dev.kizuna.common;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/** Checks {@link MailboxAddress} as strictly as the mail is sent (RFC 822 syntax). */
public class MailboxAddressValidator implements ConstraintValidator<MailboxAddress, String> {

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        try {
            new InternetAddress(value, true);
            return true;
        } catch (AddressException e) {
            // A message parameter is inserted as it is, never interpreted as part of the template.
            context.unwrap(HibernateConstraintValidatorContext.class).addMessageParameter("reason", e.getMessage());
            return false;
        }
    }
}
