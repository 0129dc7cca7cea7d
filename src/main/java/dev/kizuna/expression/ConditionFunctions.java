package dev.kizuna.expression;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.EventCounters;
import dev.kizuna.accounts.EventStats;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.messages.EngagementEvent;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
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
        return accountStats(event).count();
    }

    /** How many times the user did this event, ever. */
    public long user_count(String event) {
        return userStats(event).count();
    }

    /** How many times the account did this event in the last {@code days} UTC days, today included (at most 90). */
    public long count_in_last(String event, int days) {
        return accountStats(event).countInLast(windowOf(days), today());
    }

    /** How many times the user did this event in the last {@code days} UTC days, today included (at most 90). */
    public long user_count_in_last(String event, int days) {
        return userStats(event).countInLast(windowOf(days), today());
    }

    /** Whether the account ever did this event. */
    public boolean ever(String event) {
        return count(event) > 0;
    }

    /** Whole days since the account last did this event, or -1 if it never did. */
    public long days_since(String event) {
        EventStats stats = accountStats(event);
        return stats.lastAt() == null
                ? -1
                : Duration.between(stats.lastAt(), now).toDays();
    }

    /** Whole days since the account signed up (its createdAt trait, or when it was first seen). */
    public long days_since_signup() {
        return account == null ? 0 : Duration.between(account.signedUpAt(), now).toDays();
    }

    /** Whether the account is in a segment of rules/segments.yaml. */
    public boolean in_segment(String segment) {
        return account != null && account.profile().segments().contains(segment);
    }

    /** Whether the account reached a milestone of rules/activation.yaml. */
    public boolean milestone(String milestone) {
        return account != null && account.profile().milestones().containsKey(milestone);
    }

    /** Whether the account is activated, as rules/activation.yaml defines it. */
    public boolean activated() {
        return account != null && account.profile().activatedAt() != null;
    }

    /** Whole days since activation, or -1 if the account is not activated. */
    public long days_since_activation() {
        return activated()
                ? Duration.between(account.profile().activatedAt(), now).toDays()
                : -1;
    }

    /**
     * Whether the recipient clicked a link in an email, or the button of a nudge, of this rule
     * (its {@code kizuna.email.clicked} and {@code kizuna.nudge.clicked} events).
     */
    public boolean clicked(String rule) {
        return userStats(EngagementEvent.EMAIL_CLICKED.ofRule(rule)).count()
                        + userStats(EngagementEvent.NUDGE_CLICKED.ofRule(rule)).count()
                > 0;
    }

    /** {@link #clicked} in the last {@code days} UTC days, today included (at most 90). */
    public boolean clicked_in_last(String rule, int days) {
        return userStats(EngagementEvent.EMAIL_CLICKED.ofRule(rule)).countInLast(windowOf(days), today())
                        + userStats(EngagementEvent.NUDGE_CLICKED.ofRule(rule)).countInLast(windowOf(days), today())
                > 0;
    }

    /** Whether the recipient opened an email of this rule, as far as its mail client told (a click proves an open too). */
    public boolean opened(String rule) {
        return userStats(EngagementEvent.EMAIL_OPENED.ofRule(rule)).count() > 0;
    }

    /** {@link #opened} in the last {@code days} UTC days, today included (at most 90). */
    public boolean opened_in_last(String rule, int days) {
        return userStats(EngagementEvent.EMAIL_OPENED.ofRule(rule)).countInLast(windowOf(days), today()) > 0;
    }

    /** {@code value / target}, capped at 1: how far a number is towards a target, for health signals. */
    public double ratio(Number value, Number target) {
        if (target.doubleValue() <= 0) {
            throw new IllegalArgumentException("ratio needs a positive target, not " + target);
        }
        return Math.max(0, Math.min(1, value.doubleValue() / target.doubleValue()));
    }

    public double min(Number a, Number b) {
        return Math.min(a.doubleValue(), b.doubleValue());
    }

    public double max(Number a, Number b) {
        return Math.max(a.doubleValue(), b.doubleValue());
    }

    /** The hour (0–23) now in the recipient's timezone: the user's, else the account's, else UTC. */
    public int local_hour() {
        return localNow().getHour();
    }

    /** The day of the week now in the recipient's timezone, 1 (Monday) to 7 (Sunday). */
    public int local_weekday() {
        return localNow().getDayOfWeek().getValue();
    }

    private ZonedDateTime localNow() {
        return now.atZone(recipientZone(user, account));
    }

    /** The recipient's timezone: the user's, else the account's, else UTC. */
    public static ZoneId recipientZone(UserSnapshot user, AccountSnapshot account) {
        for (String zone :
                new String[] {user == null ? null : user.timezone(), account == null ? null : account.timezone()}) {
            if (zone != null) {
                try {
                    return ZoneId.of(zone);
                } catch (DateTimeException unknownZone) {
                    // Try the next one.
                }
            }
        }
        return ZoneOffset.UTC;
    }

    private EventStats userStats(String event) {
        return statsOf(user == null ? Map.of() : user.events(), event);
    }

    private EventStats accountStats(String event) {
        return statsOf(account == null ? Map.of() : account.events(), event);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    private static int windowOf(int days) {
        if (days < 1 || days > EventCounters.RECENT_DAYS) {
            throw new IllegalArgumentException("a window is 1 to " + EventCounters.RECENT_DAYS + " days, not " + days);
        }
        return days;
    }

    private static EventStats statsOf(Map<String, EventStats> events, String event) {
        return events.getOrDefault(event, EventStats.NEVER);
    }
}
