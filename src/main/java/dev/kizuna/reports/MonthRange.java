package dev.kizuna.reports;

import dev.kizuna.problem.ProblemException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The calendar months (UTC) a revenue report covers, both ends included. Without {@code from}
 * and {@code to}, the twelve complete months before the current one.
 */
record MonthRange(YearMonth first, YearMonth last) {

    /** Enough for ten years of history; more would make one request read without end. */
    static final int MAX_MONTHS = 120;

    static MonthRange parse(String fromText, String toText, Instant now) {
        YearMonth current = YearMonth.from(now.atZone(ZoneOffset.UTC));
        YearMonth last = parseOne("to", toText, current.minusMonths(1));
        YearMonth first = parseOne("from", fromText, last.minusMonths(11));
        if (first.isAfter(last)) {
            throw ProblemException.badField("to", "must be the month of 'from' (" + first + ") or later, was " + last);
        }
        if (first.plusMonths(MAX_MONTHS).isBefore(last.plusMonths(1))) {
            throw ProblemException.badField(
                    "from", "a report covers at most " + MAX_MONTHS + " months; " + first + " to " + last + " is more");
        }
        return new MonthRange(first, last);
    }

    /** A month like 2026-11, or a date like 2026-11-15 (its month). */
    private static YearMonth parseOne(String field, String text, YearMonth absent) {
        if (text == null || text.isBlank()) {
            return absent;
        }
        String value = text.strip();
        try {
            return value.length() == 7 ? YearMonth.parse(value) : YearMonth.from(LocalDate.parse(value));
        } catch (DateTimeParseException notAMonth) {
            throw ProblemException.badField(
                    field, "must be a month like 2026-11 or a date like 2026-11-01, was '" + value + "'");
        }
    }

    List<YearMonth> months() {
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
            months.add(month);
        }
        return months;
    }

    static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static Instant end(YearMonth month) {
        return start(month.plusMonths(1));
    }
}
