package dev.kizuna.reports;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.common.SqlTimes;
import dev.kizuna.problem.ProblemException;
import dev.kizuna.segments.AccountProfiles;
import dev.kizuna.segments.ProfileCatalog;
import dev.kizuna.segments.ProfileDefinitions;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recurring revenue month by month, from the accounts' revenue history: the MRR movements
 * (new, reactivation, expansion, contraction, churn), logo and revenue churn, gross and net
 * revenue retention; cohort retention by signup month; lifetime value by coverage tier.
 *
 * <p>Each account's movement in a month compares its MRR just before the month starts with its
 * MRR just before the next one starts, so changes within the month that cancel out are no
 * movement. An account counts in a segment for a month when the segment's condition holds for it
 * as it stood: with its plan, MRR and ARR at the start of the month (at its end for an account
 * that was not paying at the start), and the rest of its state as it is now.
 */
@ApplicationScoped
public class RevenueReport {

    private static final String ALL = "all";

    private final RevenueHistory history;
    private final AgroalDataSource dataSource;
    private final ProfileCatalog profiles;
    private final AccountSnapshots accounts;
    private final ReportsConfig config;
    private final Clock clock;

    RevenueReport(
            RevenueHistory history,
            AgroalDataSource dataSource,
            ProfileCatalog profiles,
            AccountSnapshots accounts,
            ReportsConfig config,
            Clock clock) {
        this.history = history;
        this.dataSource = dataSource;
        this.profiles = profiles;
        this.accounts = accounts;
        this.config = config;
        this.clock = clock;
    }

    /** One month of recurring revenue: starting + new + reactivation + expansion - contraction - churned = ending. */
    public record Month(
            String month,
            long startingAccounts,
            BigDecimal startingMrr,
            long newAccounts,
            BigDecimal newMrr,
            long reactivatedAccounts,
            BigDecimal reactivationMrr,
            long expandedAccounts,
            BigDecimal expansionMrr,
            long contractedAccounts,
            BigDecimal contractionMrr,
            long churnedAccounts,
            BigDecimal churnedMrr,
            long endingAccounts,
            BigDecimal endingMrr,
            Double logoChurnRate,
            Double revenueChurnRate,
            Double grossRevenueRetention,
            Double netRevenueRetention) {}

    public record Report(String from, String to, String segment, List<Month> months) {}

    /** Months of the accounts in {@code segment} (null: all accounts). */
    public Report months(String fromText, String toText, String segment) {
        MonthRange range = MonthRange.parse(fromText, toText, clock.instant());
        List<ProfileDefinitions.SegmentDefinition> segments =
                segment == null ? List.of() : List.of(segmentNamed(segment));
        Map<String, Totals[]> totals = movements(range, segments);
        String group = segment == null ? ALL : segment;
        return new Report(range.first().toString(), range.last().toString(), segment, months(range, totals.get(group)));
    }

    /**
     * Lifetime value of a tier's accounts: ARPA (average MRR of a paying account over the months)
     * × gross margin ÷ monthly revenue churn (MRR churned and contracted over MRR at the starts of
     * the months). No churn in the period: no finite lifetime value to show.
     */
    public record TierValue(
            String tier,
            long payingAccountMonths,
            BigDecimal startingMrr,
            BigDecimal churnedAndContractedMrr,
            BigDecimal arpa,
            Double monthlyRevenueChurn,
            double grossMargin,
            BigDecimal lifetimeValue) {}

    public record LifetimeValues(String from, String to, double grossMargin, List<TierValue> tiers) {}

    public LifetimeValues lifetimeValues(String fromText, String toText) {
        MonthRange range = MonthRange.parse(fromText, toText, clock.instant());
        List<ProfileDefinitions.SegmentDefinition> tiers = config.coverageTiers().stream()
                .map(name -> profiles.definitions().segments().get(name))
                .filter(java.util.Objects::nonNull)
                .toList();
        Map<String, Totals[]> totals = movements(range, tiers);
        double margin = config.grossMargin();
        List<TierValue> values = new ArrayList<>();
        totals.forEach((tier, months) -> {
            Totals sum = new Totals();
            for (Totals month : months) {
                sum.add(month);
            }
            BigDecimal lost = sum.churnedMrr.add(sum.contractionMrr);
            BigDecimal arpa = sum.startingAccounts == 0
                    ? null
                    : sum.startingMrr.divide(
                            BigDecimal.valueOf(sum.startingAccounts), 2, java.math.RoundingMode.HALF_UP);
            Double churn = ratio(lost, sum.startingMrr);
            // ARPA × margin ÷ churn = (S ÷ N) × margin ÷ (L ÷ S), computed exactly before rounding.
            BigDecimal lifetimeValue = arpa == null || lost.signum() == 0
                    ? null
                    : sum.startingMrr
                            .multiply(sum.startingMrr)
                            .multiply(BigDecimal.valueOf(margin))
                            .divide(
                                    lost.multiply(BigDecimal.valueOf(sum.startingAccounts)),
                                    2,
                                    java.math.RoundingMode.HALF_UP);
            values.add(new TierValue(
                    tier, sum.startingAccounts, sum.startingMrr, lost, arpa, churn, margin, lifetimeValue));
        });
        return new LifetimeValues(range.first().toString(), range.last().toString(), margin, values);
    }

    /**
     * A signup month's accounts: how many signed up, how many of them paid and their MRR at the
     * end of the signup month (month 0) and of each month after it, and the shares of month 0's
     * paying accounts and MRR still there (a late conversion counts from the month it pays).
     */
    public record Cohort(
            String cohort,
            long accounts,
            List<Long> paying,
            List<BigDecimal> mrr,
            List<Double> logoRetention,
            List<Double> revenueRetention) {}

    public record Cohorts(String from, String to, List<Cohort> cohorts) {}

    /** Cohorts of the signup months in the range, followed to the end of the range's last month (or the current one). */
    public Cohorts cohorts(String fromText, String toText) {
        MonthRange range = MonthRange.parse(fromText, toText, clock.instant());
        YearMonth current = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        YearMonth followedTo = range.last().isBefore(current) ? range.last() : current;
        Map<YearMonth, Long> signups = signupsByMonth(range);
        Map<YearMonth, long[]> paying = new TreeMap<>();
        Map<YearMonth, BigDecimal[]> mrr = new TreeMap<>();
        history.forEachPage(MonthRange.end(followedTo), page -> {
            for (RevenueTimeline timeline : page) {
                YearMonth cohort = YearMonth.from(timeline.signup().atZone(ZoneOffset.UTC));
                if (cohort.isBefore(range.first()) || cohort.isAfter(range.last()) || cohort.isAfter(followedTo)) {
                    continue;
                }
                int length = monthsBetween(cohort, followedTo) + 1;
                long[] payingCounts = paying.computeIfAbsent(cohort, c -> new long[length]);
                BigDecimal[] amounts = mrr.computeIfAbsent(cohort, c -> filledWithZero(length));
                for (int k = 0; k < length; k++) {
                    RevenueTimeline.State state = timeline.before(MonthRange.end(cohort.plusMonths(k)));
                    if (state.paying()) {
                        payingCounts[k]++;
                        amounts[k] = amounts[k].add(state.mrr());
                    }
                }
            }
        });
        List<Cohort> cohorts = new ArrayList<>();
        signups.forEach((cohort, accounts) -> {
            int length = Math.max(0, monthsBetween(cohort, followedTo) + 1);
            long[] payingCounts = paying.getOrDefault(cohort, new long[length]);
            BigDecimal[] amounts = mrr.getOrDefault(cohort, filledWithZero(length));
            List<Long> payingList = new ArrayList<>();
            List<BigDecimal> mrrList = new ArrayList<>();
            List<Double> logo = new ArrayList<>();
            List<Double> revenue = new ArrayList<>();
            for (int k = 0; k < length; k++) {
                payingList.add(payingCounts[k]);
                mrrList.add(amounts[k]);
                logo.add(payingCounts[0] == 0 ? null : (double) payingCounts[k] / payingCounts[0]);
                revenue.add(ratio(amounts[k], amounts[0]));
            }
            cohorts.add(new Cohort(cohort.toString(), accounts, payingList, mrrList, logo, revenue));
        });
        return new Cohorts(range.first().toString(), range.last().toString(), cohorts);
    }

    private Map<YearMonth, Long> signupsByMonth(MonthRange range) {
        Map<YearMonth, Long> signups = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("""
                        select coalesce(signed_up_at, first_seen_at) from account
                         where coalesce(signed_up_at, first_seen_at) >= ? and coalesce(signed_up_at, first_seen_at) < ?""")) {
            SqlTimes.setInstant(statement, 1, MonthRange.start(range.first()));
            SqlTimes.setInstant(statement, 2, MonthRange.end(range.last()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    signups.merge(YearMonth.from(SqlTimes.getInstant(rows, 1).atZone(ZoneOffset.UTC)), 1L, Long::sum);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the accounts' signups could not be read", e);
        }
        return signups;
    }

    /** The movements of each month in the range, for all accounts and for each of the segments. */
    private Map<String, Totals[]> movements(MonthRange range, List<ProfileDefinitions.SegmentDefinition> segments) {
        List<YearMonth> months = range.months();
        Map<String, Totals[]> totals = new LinkedHashMap<>();
        totals.put(ALL, newTotals(months.size()));
        segments.forEach(segment -> totals.put(segment.name(), newTotals(months.size())));
        history.forEachPage(MonthRange.end(range.last()), page -> {
            Map<String, AccountSnapshot> snapshots = segments.isEmpty()
                    ? Map.of()
                    : accounts.accounts(
                            page.stream().map(RevenueTimeline::accountId).toList());
            for (RevenueTimeline timeline : page) {
                for (int i = 0; i < months.size(); i++) {
                    Instant start = MonthRange.start(months.get(i));
                    RevenueTimeline.State atStart = timeline.before(start);
                    RevenueTimeline.State atEnd = timeline.before(MonthRange.end(months.get(i)));
                    if (!atStart.paying() && !atEnd.paying()) {
                        continue;
                    }
                    boolean returning = !atStart.paying() && timeline.paidBefore(start);
                    totals.get(ALL)[i].count(atStart, atEnd, returning);
                    AccountSnapshot account = snapshots.get(timeline.accountId());
                    if (account == null) {
                        continue;
                    }
                    AccountSnapshot asItStood = asItStood(account, atStart.paying() ? atStart : atEnd);
                    for (ProfileDefinitions.SegmentDefinition segment : segments) {
                        if (AccountProfiles.inSegment(segment, asItStood, start)) {
                            totals.get(segment.name())[i].count(atStart, atEnd, returning);
                        }
                    }
                }
            }
        });
        return totals;
    }

    private static List<Month> months(MonthRange range, Totals[] totals) {
        List<Month> months = new ArrayList<>();
        List<YearMonth> calendar = range.months();
        for (int i = 0; i < calendar.size(); i++) {
            months.add(totals[i].month(calendar.get(i)));
        }
        return months;
    }

    private ProfileDefinitions.SegmentDefinition segmentNamed(String name) {
        ProfileDefinitions.SegmentDefinition segment =
                profiles.definitions().segments().get(name);
        if (segment == null) {
            throw ProblemException.badField(
                    "segment",
                    "no segment '" + name + "' is defined in segments.yaml; defined are "
                            + profiles.definitions().segments().keySet());
        }
        return segment;
    }

    /** The account with the plan and revenue it had then, for segment conditions. */
    private static AccountSnapshot asItStood(AccountSnapshot account, RevenueTimeline.State state) {
        Map<String, Object> traits = new HashMap<>(account.traits());
        traits.put("mrr", state.mrr());
        traits.put("arr", state.arr());
        if (state.plan() != null) {
            traits.put("plan", state.plan());
        }
        return new AccountSnapshot(
                account.id(),
                account.name(),
                state.plan(),
                state.mrr(),
                state.arr(),
                account.signedUpAt(),
                account.timezone(),
                account.locale(),
                account.ownerCsm(),
                traits,
                account.firstSeenAt(),
                account.userIds(),
                account.events(),
                account.profile());
    }

    /** A month's sums, added to account by account. */
    private static final class Totals {
        long startingAccounts;
        BigDecimal startingMrr = BigDecimal.ZERO;
        long newAccounts;
        BigDecimal newMrr = BigDecimal.ZERO;
        long reactivatedAccounts;
        BigDecimal reactivationMrr = BigDecimal.ZERO;
        long expandedAccounts;
        BigDecimal expansionMrr = BigDecimal.ZERO;
        long contractedAccounts;
        BigDecimal contractionMrr = BigDecimal.ZERO;
        long churnedAccounts;
        BigDecimal churnedMrr = BigDecimal.ZERO;
        long endingAccounts;
        BigDecimal endingMrr = BigDecimal.ZERO;

        void count(RevenueTimeline.State atStart, RevenueTimeline.State atEnd, boolean returning) {
            if (atStart.paying()) {
                startingAccounts++;
                startingMrr = startingMrr.add(atStart.mrr());
            }
            if (atEnd.paying()) {
                endingAccounts++;
                endingMrr = endingMrr.add(atEnd.mrr());
            }
            if (!atStart.paying()) {
                if (returning) {
                    reactivatedAccounts++;
                    reactivationMrr = reactivationMrr.add(atEnd.mrr());
                } else {
                    newAccounts++;
                    newMrr = newMrr.add(atEnd.mrr());
                }
            } else if (!atEnd.paying()) {
                churnedAccounts++;
                churnedMrr = churnedMrr.add(atStart.mrr());
            } else {
                int direction = atEnd.mrr().compareTo(atStart.mrr());
                if (direction > 0) {
                    expandedAccounts++;
                    expansionMrr = expansionMrr.add(atEnd.mrr().subtract(atStart.mrr()));
                } else if (direction < 0) {
                    contractedAccounts++;
                    contractionMrr = contractionMrr.add(atStart.mrr().subtract(atEnd.mrr()));
                }
            }
        }

        void add(Totals other) {
            startingAccounts += other.startingAccounts;
            startingMrr = startingMrr.add(other.startingMrr);
            churnedMrr = churnedMrr.add(other.churnedMrr);
            contractionMrr = contractionMrr.add(other.contractionMrr);
        }

        Month month(YearMonth month) {
            BigDecimal kept = startingMrr.subtract(churnedMrr).subtract(contractionMrr);
            return new Month(
                    month.toString(),
                    startingAccounts,
                    startingMrr,
                    newAccounts,
                    newMrr,
                    reactivatedAccounts,
                    reactivationMrr,
                    expandedAccounts,
                    expansionMrr,
                    contractedAccounts,
                    contractionMrr,
                    churnedAccounts,
                    churnedMrr,
                    endingAccounts,
                    endingMrr,
                    startingAccounts == 0 ? null : (double) churnedAccounts / startingAccounts,
                    ratio(churnedMrr.add(contractionMrr), startingMrr),
                    ratio(kept, startingMrr),
                    ratio(kept.add(expansionMrr), startingMrr));
        }
    }

    private static Totals[] newTotals(int months) {
        Totals[] totals = new Totals[months];
        for (int i = 0; i < months; i++) {
            totals[i] = new Totals();
        }
        return totals;
    }

    private static BigDecimal[] filledWithZero(int length) {
        BigDecimal[] amounts = new BigDecimal[length];
        java.util.Arrays.fill(amounts, BigDecimal.ZERO);
        return amounts;
    }

    private static int monthsBetween(YearMonth from, YearMonth to) {
        return (int) java.time.temporal.ChronoUnit.MONTHS.between(from, to);
    }

    /** A share as a double, computed exactly first; none of nothing. */
    private static Double ratio(BigDecimal part, BigDecimal whole) {
        return whole.signum() == 0
                ? null
                : part.divide(whole, MathContext.DECIMAL64).doubleValue();
    }
}
