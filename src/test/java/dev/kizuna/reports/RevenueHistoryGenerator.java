package dev.kizuna.reports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Generated subscription histories, as a product reports them (group calls and the conventional
 * subscription events, each at the time it happened), together with what they mean: each
 * account's MRR over time and its signup. Plans and prices put accounts in every coverage tier
 * of the sample segments (by ARR), and moves between plans cross the tiers' bounds.
 */
final class RevenueHistoryGenerator {

    /** Plans from the cheapest: ARR 588 and 4,788 (tech-touch), 14,400 and 48,000 (low-touch), 72,000 (high-touch). */
    static final List<String> PLANS = List.of("starter", "team", "business", "scale", "enterprise");

    static final List<BigDecimal> PRICES =
            List.of(money("49"), money("399"), money("1200"), money("4000"), money("6000"));

    /** Each account's MRR from each time on (0 after a cancellation); no entry before it first pays. */
    final Map<String, TreeMap<Instant, BigDecimal>> mrr = new LinkedHashMap<>();

    final Map<String, Instant> signups = new LinkedHashMap<>();
    final List<Map<String, Object>> calls = new ArrayList<>();

    private final Random random;
    private int messages;

    RevenueHistoryGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** Accounts signing up over {@code signupMonths} months from {@code first}, followed until the end of {@code last}. */
    void generate(String prefix, int accounts, YearMonth first, int signupMonths, YearMonth last) {
        Instant from = first.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long signupMinutes = Duration.between(
                        from,
                        first.plusMonths(signupMonths)
                                .atDay(1)
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant())
                .toMinutes();
        Instant end = last.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        for (int i = 0; i < accounts; i++) {
            String account = prefix + "-" + i;
            Instant signup = from.plus(Duration.ofMinutes(random.nextLong(signupMinutes)));
            signups.put(account, signup);
            TreeMap<Instant, BigDecimal> history = new TreeMap<>();
            mrr.put(account, history);
            Instant at = signup;
            int plan;
            BigDecimal price;
            if (random.nextDouble() < 0.3) {
                // A trial: no revenue until it converts, if it does.
                group(account, at, Map.of("createdAt", signup.toString(), "name", "Account " + i, "plan", "trial"));
                if (random.nextDouble() >= 0.6) {
                    continue;
                }
                at = at.plus(Duration.ofMinutes(random.nextLong(3 * 1440, 40 * 1440)));
                if (!at.isBefore(end)) {
                    continue;
                }
                plan = random.nextInt(3);
                price = PRICES.get(plan);
                track(account, "Plan Upgraded", at, Map.of("plan", PLANS.get(plan), "mrr", price));
            } else {
                plan = random.nextInt(PLANS.size());
                price = PRICES.get(plan);
                group(
                        account,
                        at,
                        Map.of(
                                "createdAt",
                                signup.toString(),
                                "name",
                                "Account " + i,
                                "plan",
                                PLANS.get(plan),
                                "mrr",
                                price));
            }
            history.put(at, price);
            boolean paying = true;
            while (true) {
                Instant next = at.plus(Duration.ofMinutes(random.nextLong(5 * 1440, 60 * 1440)));
                if (random.nextDouble() < 0.05) {
                    // Some changes at midnight on the first: they belong to the month they open.
                    Instant monthStart = YearMonth.from(next.atZone(ZoneOffset.UTC))
                            .atDay(1)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant();
                    next = monthStart.isAfter(at) ? monthStart : next;
                }
                if (!next.isBefore(end)) {
                    break;
                }
                at = next;
                double draw = random.nextDouble();
                if (paying && draw < 0.08) {
                    track(account, "Subscription Cancelled", at, Map.of());
                    history.put(at, BigDecimal.ZERO.setScale(2));
                    paying = false;
                } else if (paying && draw < 0.20 && plan < PLANS.size() - 1) {
                    plan++;
                    price = PRICES.get(plan);
                    track(account, "Plan Upgraded", at, Map.of("plan", PLANS.get(plan), "mrr", price));
                    history.put(at, price);
                } else if (paying && draw < 0.28 && plan > 0) {
                    plan--;
                    price = PRICES.get(plan);
                    track(account, "Plan Downgraded", at, Map.of("plan", PLANS.get(plan), "mrr", price));
                    history.put(at, price);
                } else if (paying && draw < 0.40) {
                    // Seats added or removed: a group call with the new MRR only.
                    price = price.multiply(BigDecimal.valueOf(80 + random.nextInt(51)))
                            .divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
                    group(account, at, Map.of("mrr", price));
                    history.put(at, price);
                } else if (!paying && draw < 0.10) {
                    price = PRICES.get(plan);
                    track(account, "Subscription Renewed", at, Map.of("plan", PLANS.get(plan), "mrr", price));
                    history.put(at, price);
                    paying = true;
                }
            }
        }
    }

    /** The account's MRR just before {@code instant} (0 if it never paid by then). */
    BigDecimal mrrBefore(String account, Instant instant) {
        Map.Entry<Instant, BigDecimal> last = mrr.get(account).lowerEntry(instant);
        return last == null ? BigDecimal.ZERO : last.getValue();
    }

    /** Whether the account paid at some time before {@code instant}. */
    boolean paidBefore(String account, Instant instant) {
        return mrr.get(account).headMap(instant, false).values().stream().anyMatch(amount -> amount.signum() > 0);
    }

    /** The account's MRR after its last change, as the account should show it now. */
    BigDecimal latest(String account) {
        return mrr.get(account).isEmpty() ? null : mrr.get(account).lastEntry().getValue();
    }

    private void group(String account, Instant at, Map<String, Object> traits) {
        calls.add(Map.of(
                "type",
                "group",
                "userId",
                "owner-" + account,
                "groupId",
                account,
                "traits",
                traits,
                "timestamp",
                at.toString(),
                "messageId",
                "revenue-" + account + "-" + ++messages));
    }

    private void track(String account, String event, Instant at, Map<String, Object> properties) {
        calls.add(Map.of(
                "type",
                "track",
                "userId",
                "owner-" + account,
                "event",
                event,
                "properties",
                properties,
                "context",
                Map.of("groupId", account),
                "timestamp",
                at.toString(),
                "messageId",
                "revenue-" + account + "-" + ++messages));
    }

    private static BigDecimal money(String amount) {
        return new BigDecimal(amount).setScale(2);
    }
}
