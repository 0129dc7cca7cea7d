package dev.kizuna.common;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link Finite}; NaN is left to the range constraint beside it, which refuses it too. */
public class FiniteValidator implements ConstraintValidator<Finite, Double> {

    @Override
    public boolean isValid(Double value, ConstraintValidatorContext context) {
        return value == null || !value.isInfinite();
    }
}
