package dev.kizuna.common;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Checks {@link IntervalOrOff}. */
public class IntervalOrOffValidator implements ConstraintValidator<IntervalOrOff, String> {

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        String text = value.strip().toLowerCase(Locale.ROOT);
        return text.equals("off") || text.equals("disabled") || isPositiveInterval(text);
    }

    /** As the scheduler reads it: 30s, 5m, 1h, 1d, or an ISO-8601 duration (PT30S). */
    private static boolean isPositiveInterval(String text) {
        try {
            Duration interval =
                    Duration.parse(Character.isDigit(text.charAt(0)) ? (text.endsWith("d") ? "P" : "PT") + text : text);
            return !interval.isNegative() && !interval.isZero();
        } catch (DateTimeParseException | IndexOutOfBoundsException e) {
            return false;
        }
    }
}
