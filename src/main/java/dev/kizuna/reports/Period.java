package dev.kizuna.reports;

import dev.kizuna.problem.ProblemException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The time range a report covers, from inclusive to exclusive: message creation for rule and
 * engagement reports, signup for the activation report. Unbounded ends are far away rather than
 * absent, so that every query has the same shape.
 */
public record Period(Instant from, Instant to) {

    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    public static final Period ALL = new Period(EARLIEST, LATEST);

    /** Reads {@code from} and {@code to}: a date (UTC midnight) or an instant; either may be absent. */
    public static Period parse(String fromText, String toText) {
        Instant from = parseOne("from", fromText, EARLIEST);
        Instant to = parseOne("to", toText, LATEST);
        if (!from.isBefore(to)) {
            throw ProblemException.badField("to", "must be after 'from' (" + from + "), was " + to);
        }
        return new Period(from, to);
    }

    private static Instant parseOne(String field, String text, Instant absent) {
        if (text == null || text.isBlank()) {
            return absent;
        }
        String value = text.strip();
        try {
            return value.length() == 10
                    ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException notADate) {
            throw ProblemException.badField(
                    field,
                    "must be a date like 2026-11-01 or an instant like 2026-11-01T09:00:00Z, was '" + value + "'");
        }
    }
}
