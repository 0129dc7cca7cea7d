package dev.kizuna.accounts;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The group traits Kizuna gives meaning to: Segment's reserved {@code plan} and {@code createdAt},
 * and {@code mrr}, {@code arr}, {@code renewal_date}, {@code timezone}, {@code locale} and {@code csm}.
 */
final class AccountTraits {

    /** The traits that make an account's plan and recurring revenue, kept as a dated history. */
    static final java.util.Set<String> REVENUE = java.util.Set.of("plan", "mrr", "arr");

    private AccountTraits() {}

    /** The plan and revenue a set of traits states: a field absent (or not a valid value) is not stated. */
    record Revenue(String plan, BigDecimal mrr, BigDecimal arr) {

        boolean statesAnything() {
            return plan != null || mrr != null;
        }
    }

    /** MRR and ARR state each other when only one is given (ARR = 12 × MRR). */
    static Revenue revenueOf(Map<String, Object> traits) {
        String plan = text(traits.get("plan"), 100);
        BigDecimal mrr = money(traits.get("mrr"));
        BigDecimal arr = money(traits.get("arr"));
        if (mrr == null && arr != null) {
            mrr = arr.divide(BigDecimal.valueOf(12), 2, java.math.RoundingMode.HALF_UP);
        } else if (mrr != null && arr == null) {
            arr = mrr.multiply(BigDecimal.valueOf(12));
        }
        return new Revenue(plan, mrr, arr);
    }

    static void apply(Map<String, Object> traits, Account account) {
        account.plan = text(traits.get("plan"), 100);
        account.mrr = money(traits.get("mrr"));
        BigDecimal arr = money(traits.get("arr"));
        account.arr = arr != null ? arr : account.mrr == null ? null : account.mrr.multiply(BigDecimal.valueOf(12));
        Instant signedUp = instant(firstPresent(traits, "createdAt", "created_at", "signedUpAt", "signed_up_at"));
        account.signedUpAt = signedUp;
        String timezone = text(traits.get("timezone"), 64);
        account.timezone = timezone != null && isZone(timezone) ? timezone : null;
        account.locale = text(traits.get("locale"), 35);
        account.ownerCsm = text(firstPresent(traits, "csm", "owner", "accountOwner"), 255);
        Instant renewal = instant(firstPresent(traits, "renewal_date", "renewalDate"));
        account.renewalDate = renewal == null ? null : java.time.LocalDate.ofInstant(renewal, java.time.ZoneOffset.UTC);
    }

    private static Object firstPresent(Map<String, Object> traits, String... keys) {
        for (String key : keys) {
            if (traits.get(key) != null) {
                return traits.get(key);
            }
        }
        return null;
    }

    /**
     * Text for a column: absent if empty or longer than the column. A control character (a tab or
     * line break pasted into a name field) becomes a space: the value is still the customer's name
     * or plan, and dropping it would make templates fall back to their defaults.
     */
    static String text(Object value, int max) {
        if (value == null) {
            return null;
        }
        String text =
                CONTROL_CHARACTERS.matcher(value.toString()).replaceAll(" ").strip();
        return text.isEmpty() || text.length() > max ? null : text;
    }

    /**
     * An email address for its column: absent if empty, too long, or holding a control character.
     * Unlike a name, an address with a line break in it is no address (and would be a header
     * injection), so it is not repaired.
     */
    static String address(Object value, int max) {
        if (value == null) {
            return null;
        }
        String text = value.toString().strip();
        return text.isEmpty()
                        || text.length() > max
                        || CONTROL_CHARACTERS.matcher(text).find()
                ? null
                : text;
    }

    /** C0 controls and DEL, in runs: "Ada\r\nLovelace" is "Ada Lovelace". */
    private static final java.util.regex.Pattern CONTROL_CHARACTERS =
            java.util.regex.Pattern.compile("[\\x00-\\x1F\\x7F]+");

    /** Money with two decimals below 10^12, as the column holds it; anything else is ignored. */
    private static BigDecimal money(Object value) {
        BigDecimal amount;
        try {
            if (value instanceof Number number) {
                amount = new BigDecimal(number.toString());
            } else if (value instanceof String text && !text.isBlank() && text.length() < 40) {
                amount = new BigDecimal(text.strip());
            } else {
                return null;
            }
        } catch (NumberFormatException notANumber) {
            return null;
        }
        // "1e99999999" is ten characters; scaling it would take minutes. Such a value is no amount of money.
        if (Math.abs(amount.scale()) > 20 || amount.precision() - amount.scale() > 15) {
            return null;
        }
        amount = amount.setScale(2, java.math.RoundingMode.HALF_UP);
        return amount.abs().compareTo(MONEY_LIMIT) < 0 ? amount : null;
    }

    private static final BigDecimal MONEY_LIMIT = BigDecimal.TEN.pow(11);

    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-01-01T00:00:00Z");

    /** A signup time from a trait: ISO date-time, date, or epoch seconds, within 1970–9999; else none. */
    private static Instant instant(Object value) {
        Instant parsed;
        try {
            parsed = parseInstant(value);
        } catch (java.time.DateTimeException outOfRange) {
            return null;
        }
        return parsed == null || parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST) ? null : parsed;
    }

    private static Instant parseInstant(Object value) {
        if (value instanceof Number seconds) {
            return Instant.ofEpochSecond(seconds.longValue());
        }
        if (!(value instanceof String text)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notADateTime) {
            try {
                return java.time.LocalDate.parse(text)
                        .atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant();
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    static boolean isZone(String zone) {
        try {
            ZoneId.of(zone);
            return true;
        } catch (RuntimeException unknown) {
            return false;
        }
    }
}
