package dev.kizuna.accounts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * How often, and when first and last, an account or user did one thing; with the counts of the
 * last 7 and 30 days (UTC days, today included) and the recent per-day counts rules read.
 */
public record EventStats(
        long count,
        Instant firstAt,
        Instant lastAt,
        long last7Days,
        long last30Days,
        @JsonIgnore Map<LocalDate, Long> recentDays) {

    public static final EventStats NEVER = new EventStats(0, null, null, 0, 0, Map.of());

    /** Count over the last {@code days} UTC days up to and including {@code today}. */
    public long countInLast(int days, LocalDate today) {
        LocalDate first = today.minusDays(days - 1L);
        long count = 0;
        for (Map.Entry<LocalDate, Long> day : recentDays.entrySet()) {
            if (!day.getKey().isBefore(first) && !day.getKey().isAfter(today)) {
                count += day.getValue();
            }
        }
        return count;
    }
}
