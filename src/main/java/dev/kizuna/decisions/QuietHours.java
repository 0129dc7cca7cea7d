package dev.kizuna.decisions;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Quiet hours in a recipient's timezone: when they start and end, possibly across midnight. */
record QuietHours(LocalTime start, LocalTime end) {

    /** When email decided at {@code now} may go: {@code now}, or the end of the quiet hours it falls in. */
    Instant sendableFrom(Instant now, ZoneId zone) {
        if (start.equals(end)) {
            return now;
        }
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        boolean acrossMidnight = start.isAfter(end);
        boolean quiet = acrossMidnight
                ? !time.isBefore(start) || time.isBefore(end)
                : !time.isBefore(start) && time.isBefore(end);
        if (!quiet) {
            return now;
        }
        ZonedDateTime endToday = local.with(end);
        ZonedDateTime resume =
                endToday.isAfter(local) ? endToday : local.plusDays(1).with(end);
        return resume.toInstant();
    }
}
