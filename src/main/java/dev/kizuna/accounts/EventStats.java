package dev.kizuna.accounts;

import java.time.Instant;

/** How often, and when first and last, an account or user did one thing. */
public record EventStats(long count, Instant firstAt, Instant lastAt) {

    public static final EventStats NEVER = new EventStats(0, null, null);
}
