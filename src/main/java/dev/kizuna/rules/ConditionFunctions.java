package dev.kizuna.rules;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountState;
import dev.kizuna.accounts.EventStats;
import dev.kizuna.accounts.UserSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The functions a condition may call, bound to one recipient's state. Public methods here are
 * the whole vocabulary; rules/README.md documents each.
 */
public final class ConditionFunctions {

    private final AccountSnapshot account;
    private final UserSnapshot user;
    private final Instant now;

    public ConditionFunctions(AccountSnapshot account, UserSnapshot user, Instant now) {
        this.account = account;
        this.user = user;
        this.now = now;
    }

    /** How many times the account did this event, ever. */
    public long count(String event) {
        return statsOf(account == null ? Map.of() : account.events(), event).count();
    }

    /** How many times the user did this event, ever. */
    public long user_count(String event) {
        return statsOf(user == null ? Map.of() : user.events(), event).count();
    }

    /** How many times the account did this event in the last {@code days} UTC days, today included (at most 90). */
    public long count_in_last(String event, int days) {
        return statsOf(account == null ? Map.of() : account.events(), event).countInLast(windowOf(days), today());
    }

    /** How many times the user did this event in the last {@code days} UTC days, today included (at most 90). */
    public long user_count_in_last(String event, int days) {
        return statsOf(user == null ? Map.of() : user.events(), event).countInLast(windowOf(days), today());
    }

    /** Whether the account ever did this event. */
    public boolean ever(String event) {
        return count(event) > 0;
    }

    /** Whole days since the account last did this event, or -1 if it never did. */
    public long days_since(String event) {
        EventStats stats = statsOf(account == null ? Map.of() : account.events(), event);
        return stats.lastAt() == null ? -1 : Duration.between(stats.lastAt(), now).toDays();
    }

    /** Whole days since the account signed up (its createdAt trait, or when it was first seen). */
    public long days_since_signup() {
        return account == null ? 0 : Duration.between(account.signedUpAt(), now).toDays();
    }

    private LocalDate today() {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    private static int windowOf(int days) {
        if (days < 1 || days > AccountState.RECENT_DAYS) {
            throw new IllegalArgumentException("a window is 1 to " + AccountState.RECENT_DAYS + " days, not " + days);
        }
        return days;
    }

    private static EventStats statsOf(Map<String, EventStats> events, String event) {
        return events.getOrDefault(event, EventStats.NEVER);
    }
}
