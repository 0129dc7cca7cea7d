package dev.kizuna.reports;

import dev.kizuna.common.JsonText;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The health score measured against what followed: of the accounts paying when a health snapshot
 * was taken, how many churned (their MRR went to zero) within 30 and 90 days, by the band they
 * were in; the score's AUC as a predictor of staying; and for each signal, churn below and above
 * its midpoint (0.5) and its own AUC. An observation counts for a horizon only once the horizon
 * has passed.
 */
@ApplicationScoped
public class HealthCalibration {

    static final Duration SHORT = Duration.ofDays(30);
    static final Duration LONG = Duration.ofDays(90);

    /** Signal values are kept to a thousandth for their AUC; scores are whole numbers and exact. */
    private static final int SIGNAL_STEPS = 1000;

    private final RevenueHistory history;
    private final AgroalDataSource dataSource;
    private final ProfileCatalog profiles;
    private final Clock clock;

    HealthCalibration(RevenueHistory history, AgroalDataSource dataSource, ProfileCatalog profiles, Clock clock) {
        this.history = history;
        this.dataSource = dataSource;
        this.profiles = profiles;
        this.clock = clock;
    }

    /** A band's observations and the share of them that churned within each horizon. */
    public record BandOutcome(
            String band,
            long observations30,
            long churned30,
            Double churnShare30,
            long observations90,
            long churned90,
            Double churnShare90) {}

    /** A signal's churn within 90 days below and at or above its midpoint, and its AUC as a predictor of staying. */
    public record SignalOutcome(
            String signal,
            long observationsBelow,
            long churnedBelow,
            Double churnShareBelow,
            long observationsAbove,
            long churnedAbove,
            Double churnShareAbove,
            Double auc90) {}

    /**
     * AUC: the chance that an account that stayed had a higher score than one that churned (ties
     * count half); 0.5 is a score that tells nothing, 1 one that ranks perfectly.
     */
    public record Calibration(
            String period,
            long snapshots,
            long observations30,
            long observations90,
            List<BandOutcome> bands,
            Double auc30,
            Double auc90,
            List<SignalOutcome> signals) {}

    public Calibration report(Period period) {
        Instant now = clock.instant();
        ProfileDefinitions definitions = profiles.definitions();
        Map<String, long[]> bands = new LinkedHashMap<>();
        definitions.healthBands().forEach(band -> bands.put(band.name(), new long[4]));
        ScoreCounts scores30 = new ScoreCounts(101);
        ScoreCounts scores90 = new ScoreCounts(101);
        Map<String, ScoreCounts> signals = new LinkedHashMap<>();
        Map<String, long[]> halves = new LinkedHashMap<>();
        definitions.healthSignals().keySet().forEach(signal -> {
            signals.put(signal, new ScoreCounts(SIGNAL_STEPS + 1));
            halves.put(signal, new long[4]);
        });
        long[] snapshots = new long[1];
        history.forEachPage(now, page -> {
            Map<String, RevenueTimeline> timelines = new HashMap<>();
            page.forEach(timeline -> timelines.put(timeline.accountId(), timeline));
            for (Snapshot snapshot : snapshotsOf(timelines.keySet(), period)) {
                snapshots[0]++;
                RevenueTimeline timeline = timelines.get(snapshot.accountId());
                if (!timeline.before(snapshot.takenAt()).paying()) {
                    continue;
                }
                Instant churnedAt = churnedAfter(timeline, snapshot.takenAt());
                long[] band =
                        bands.computeIfAbsent(snapshot.band() == null ? "none" : snapshot.band(), name -> new long[4]);
                if (!snapshot.takenAt().plus(SHORT).isAfter(now)) {
                    boolean churned = churnedAt != null
                            && churnedAt.isBefore(snapshot.takenAt().plus(SHORT));
                    band[0]++;
                    band[1] += churned ? 1 : 0;
                    scores30.add(snapshot.score(), churned);
                }
                if (!snapshot.takenAt().plus(LONG).isAfter(now)) {
                    boolean churned = churnedAt != null
                            && churnedAt.isBefore(snapshot.takenAt().plus(LONG));
                    band[2]++;
                    band[3] += churned ? 1 : 0;
                    scores90.add(snapshot.score(), churned);
                    snapshot.signals().forEach((signal, value) -> {
                        if (signals.containsKey(signal)) {
                            signals.get(signal).add((int) Math.round(value * SIGNAL_STEPS), churned);
                            long[] half = halves.get(signal);
                            int side = value < 0.5 ? 0 : 2;
                            half[side]++;
                            half[side + 1] += churned ? 1 : 0;
                        }
                    });
                }
            }
        });
        List<BandOutcome> bandOutcomes = new ArrayList<>();
        bands.forEach((band, counts) -> bandOutcomes.add(new BandOutcome(
                band,
                counts[0],
                counts[1],
                share(counts[1], counts[0]),
                counts[2],
                counts[3],
                share(counts[3], counts[2]))));
        List<SignalOutcome> signalOutcomes = new ArrayList<>();
        signals.forEach((signal, counts) -> {
            long[] half = halves.get(signal);
            signalOutcomes.add(new SignalOutcome(
                    signal,
                    half[0],
                    half[1],
                    share(half[1], half[0]),
                    half[2],
                    half[3],
                    share(half[3], half[2]),
                    counts.auc()));
        });
        return new Calibration(
                period.equals(Period.ALL) ? "all" : period.from() + "/" + period.to(),
                snapshots[0],
                scores30.total(),
                scores90.total(),
                bandOutcomes,
                scores30.auc(),
                scores90.auc(),
                signalOutcomes);
    }

    /** When the account's MRR first went to zero at or after {@code from}, if it did. */
    private static Instant churnedAfter(RevenueTimeline timeline, Instant from) {
        for (RevenueTimeline.Change change : timeline.changes()) {
            if (!change.at().isBefore(from)
                    && change.mrr() != null
                    && change.mrr().signum() == 0) {
                return change.at();
            }
        }
        return null;
    }

    private record Snapshot(String accountId, Instant takenAt, int score, String band, Map<String, Double> signals) {}

    private List<Snapshot> snapshotsOf(java.util.Collection<String> accountIds, Period period) {
        List<Snapshot> snapshots = new ArrayList<>();
        String marks = String.join(", ", accountIds.stream().map(id -> "?").toList());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select account_id, taken_at, score, band, signals from health_snapshot"
                                + " where taken_at >= ? and taken_at < ? and account_id in (" + marks + ")")) {
            SqlTimes.setInstant(statement, 1, period.from());
            SqlTimes.setInstant(statement, 2, period.to());
            int parameter = 2;
            for (String id : accountIds) {
                statement.setString(++parameter, id);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Map<String, Double> signals = new LinkedHashMap<>();
                    JsonText.readObject(rows.getString(5)).forEach((name, value) -> {
                        if (value instanceof Number number) {
                            signals.put(name, number.doubleValue());
                        }
                    });
                    snapshots.add(new Snapshot(
                            rows.getString(1),
                            SqlTimes.getInstant(rows, 2),
                            rows.getInt(3),
                            rows.getString(4),
                            signals));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the health snapshots could not be read", e);
        }
        return snapshots;
    }

    /**
     * How many observations had each value, among those that stayed and those that churned: the
     * AUC follows from the counts (the Mann–Whitney statistic), in memory that does not grow with
     * the number of accounts.
     */
    static final class ScoreCounts {
        private final long[] stayed;
        private final long[] churned;

        ScoreCounts(int values) {
            stayed = new long[values];
            churned = new long[values];
        }

        void add(int value, boolean churnedAfter) {
            int index = Math.max(0, Math.min(stayed.length - 1, value));
            if (churnedAfter) {
                churned[index]++;
            } else {
                stayed[index]++;
            }
        }

        long total() {
            long total = 0;
            for (int i = 0; i < stayed.length; i++) {
                total += stayed[i] + churned[i];
            }
            return total;
        }

        /** P(a stayer's value > a churner's) + P(equal) / 2; none without both kinds of observation. */
        Double auc() {
            long stayers = 0;
            long churners = 0;
            for (int i = 0; i < stayed.length; i++) {
                stayers += stayed[i];
                churners += churned[i];
            }
            if (stayers == 0 || churners == 0) {
                return null;
            }
            double wins = 0;
            long churnersBelow = 0;
            for (int i = 0; i < stayed.length; i++) {
                wins += stayed[i] * (churnersBelow + churned[i] / 2.0);
                churnersBelow += churned[i];
            }
            return wins / ((double) stayers * churners);
        }
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
