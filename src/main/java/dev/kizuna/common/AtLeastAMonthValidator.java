package dev.kizuna.common;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.time.Period;

/** Checks {@link AtLeastAMonth}: months and years count whole, days as themselves (31 days is a month, 30 is not). */
public class AtLeastAMonthValidator implements ConstraintValidator<AtLeastAMonth, Period> {

    @Override
    public boolean isValid(Period value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        if (value.isNegative()) {
            return false;
        }
        return value.toTotalMonths() >= 1 || value.getDays() >= 31;
    }
}
