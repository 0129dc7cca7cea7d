package dev.kizuna.common;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/** Checks {@link SecretLength}. */
public class SecretLengthValidator implements ConstraintValidator<SecretLength, String> {

    private int min;

    @Override
    public void initialize(SecretLength constraint) {
        min = constraint.min();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null || value.length() >= min) {
            return true;
        }
        context.unwrap(HibernateConstraintValidatorContext.class).addMessageParameter("length", value.length());
        return false;
    }
}
