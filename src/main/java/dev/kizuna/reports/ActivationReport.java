package dev.kizuna.reports;

import dev.kizuna.common.SqlTimes;
import dev.kizuna.segments.ProfileCatalog;
import dev.kizuna.segments.ProfileDefinitions;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Activation of the accounts that signed up in the period (signup: the createdAt trait, else
 * when the account was first seen): how many reached each milestone, how long activated accounts
 * took (time-to-value = activated_at - signup), and how many activated within the activation window.
 */
@ApplicationScoped
public class ActivationReport {

    private final AgroalDataSource dataSource;
    private final ProfileCatalog profiles;
    private final Clock clock;

    ActivationReport(AgroalDataSource dataSource, ProfileCatalog profiles, Clock clock) {
        this.dataSource = dataSource;
        this.profiles = profiles;
        this.clock = clock;
    }

    public record Report(
            long accounts,
            long activated,
            String window,
            long activatedWithinWindow,
            Double activatedWithinWindowShare,
            long stillInWindow,
            List<FunnelStep> funnel,
            TimeToValue timeToValue,
            List<CohortTimeToValue> byCohort,
            List<SegmentTimeToValue> bySegment) {}

    /** Accounts that reached a milestone (or, for the last step "activated", all of activated_when), and their share of all. */
    public record FunnelStep(String milestone, String description, long accounts, Double share) {}

    /** Time-to-value of activated accounts in hours: quartiles by linear interpolation between ranks. */
    public record TimeToValue(long accounts, Double p25Hours, Double medianHours, Double p75Hours) {}

    /** Signup cohort: the ISO week of signup in UTC, like 2026-W05. */
    public record CohortTimeToValue(String cohort, long accounts, long activated, TimeToValue timeToValue) {}

    public record SegmentTimeToValue(String segment, TimeToValue timeToValue) {}

    private static final String SIGNUP = "coalesce(a.signed_up_at, a.first_seen_at)";
    private static final String IN_PERIOD = SIGNUP + " >= ? and " + SIGNUP + " < ?";

    public Report report(Period period) {
        ProfileDefinitions definitions = profiles.definitions();
        Duration window = definitions.activationWindow();
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection()) {
            long accounts = 0;
            long activated = 0;
            long withinWindow = 0;
            long stillInWindow = 0;
            Map<String, long[]> cohorts = new TreeMap<>();
            Map<String, List<Long>> cohortSeconds = new TreeMap<>();
            List<Long> allSeconds = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "select " + SIGNUP + ", a.activated_at from account a where " + IN_PERIOD)) {
                bind(statement, 1, period);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        Instant signup = SqlTimes.getInstant(rows, 1);
                        Instant activatedAt = SqlTimes.getInstant(rows, 2);
                        String cohort = isoWeek(signup);
                        long[] counts = cohorts.computeIfAbsent(cohort, c -> new long[2]);
                        accounts++;
                        counts[0]++;
                        if (activatedAt == null) {
                            if (signup.plus(window).isAfter(now)) {
                                stillInWindow++;
                            }
                            continue;
                        }
                        long seconds = Duration.between(signup, activatedAt).toSeconds();
                        activated++;
                        counts[1]++;
                        allSeconds.add(seconds);
                        cohortSeconds
                                .computeIfAbsent(cohort, c -> new ArrayList<>())
                                .add(seconds);
                        if (seconds <= window.toSeconds()) {
                            withinWindow++;
                        }
                    }
                }
            }
            List<CohortTimeToValue> byCohort = new ArrayList<>();
            for (var entry : cohorts.entrySet()) {
                byCohort.add(new CohortTimeToValue(
                        entry.getKey(),
                        entry.getValue()[0],
                        entry.getValue()[1],
                        timeToValue(cohortSeconds.getOrDefault(entry.getKey(), List.of()))));
            }
            return new Report(
                    accounts,
                    activated,
                    format(window),
                    withinWindow,
                    share(withinWindow, accounts),
                    stillInWindow,
                    funnel(connection, period, definitions, accounts, activated),
                    timeToValue(allSeconds),
                    byCohort,
                    bySegment(connection, period, definitions));
        } catch (SQLException e) {
            throw new IllegalStateException("the activation report could not be read", e);
        }
    }

    private List<FunnelStep> funnel(
            Connection connection, Period period, ProfileDefinitions definitions, long accounts, long activated)
            throws SQLException {
        Map<String, Long> reached = new HashMap<>();
        try (PreparedStatement statement =
                connection.prepareStatement("select am.milestone, count(*) from account_milestone am "
                        + "join account a on a.id = am.account_id where " + IN_PERIOD + " group by am.milestone")) {
            bind(statement, 1, period);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    reached.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        List<FunnelStep> steps = new ArrayList<>();
        for (ProfileDefinitions.MilestoneDefinition milestone :
                definitions.milestones().values()) {
            long count = reached.getOrDefault(milestone.name(), 0L);
            steps.add(new FunnelStep(milestone.name(), milestone.description(), count, share(count, accounts)));
        }
        steps.add(new FunnelStep(
                "activated",
                "Reached " + String.join(", ", definitions.activatedWhen()),
                activated,
                share(activated, accounts)));
        return steps;
    }

    /** Time-to-value of activated accounts by the segments they are in now, in the order of segments.yaml. */
    private List<SegmentTimeToValue> bySegment(Connection connection, Period period, ProfileDefinitions definitions)
            throws SQLException {
        Map<String, List<Long>> seconds = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement("select s.segment, " + SIGNUP
                + ", a.activated_at from account a "
                + "join account_segment s on s.account_id = a.id where a.activated_at is not null and " + IN_PERIOD)) {
            bind(statement, 1, period);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    seconds.computeIfAbsent(rows.getString(1), s -> new ArrayList<>())
                            .add(Duration.between(SqlTimes.getInstant(rows, 2), SqlTimes.getInstant(rows, 3))
                                    .toSeconds());
                }
            }
        }
        Map<String, List<Long>> ordered = new LinkedHashMap<>();
        definitions.segments().keySet().stream()
                .filter(seconds::containsKey)
                .forEach(segment -> ordered.put(segment, seconds.remove(segment)));
        ordered.putAll(seconds);
        List<SegmentTimeToValue> result = new ArrayList<>();
        ordered.forEach((segment, values) -> result.add(new SegmentTimeToValue(segment, timeToValue(values))));
        return result;
    }

    static TimeToValue timeToValue(List<Long> seconds) {
        if (seconds.isEmpty()) {
            return new TimeToValue(0, null, null, null);
        }
        long[] sorted = seconds.stream().mapToLong(Long::longValue).sorted().toArray();
        return new TimeToValue(
                sorted.length,
                hours(quantile(sorted, 0.25)),
                hours(quantile(sorted, 0.5)),
                hours(quantile(sorted, 0.75)));
    }

    /** The q-quantile with linear interpolation between closest ranks (as PostgreSQL's percentile_cont). */
    static double quantile(long[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static double hours(double seconds) {
        return Math.round(seconds / 36.0) / 100.0; // hours to two decimals
    }

    static String isoWeek(Instant instant) {
        LocalDate day = LocalDate.ofInstant(instant, ZoneOffset.UTC);
        return String.format(
                "%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private static String format(Duration window) {
        return window.toHours() % 24 == 0 ? window.toDays() + "d" : window.toHours() + "h";
    }

    private static void bind(PreparedStatement statement, int first, Period period) throws SQLException {
        SqlTimes.setInstant(statement, first, period.from());
        SqlTimes.setInstant(statement, first + 1, period.to());
    }
}
