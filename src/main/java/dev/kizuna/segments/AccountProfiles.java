package dev.kizuna.segments;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.accounts.EventStats;
import dev.kizuna.expression.Condition;
import dev.kizuna.expression.ConditionFunctions;
import dev.kizuna.expression.ConditionVariables;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Recomputes what Kizuna knows about an account after its state changed: milestones reached,
 * activation, health score and band, lifecycle stage, then segment membership (segments may
 * read all of the others).
 */
@ApplicationScoped
public class AccountProfiles {

    private static final Logger LOG = Logger.getLogger(AccountProfiles.class);

    public static final String NEW = "new";
    public static final String ONBOARDING = "onboarding";
    public static final String ACTIVATED = "activated";
    public static final String AT_RISK = "at_risk";
    public static final String CHURNED = "churned";

    private final ProfileCatalog catalog;
    private final AccountSnapshots accounts;
    private final ProfileStore store;

    AccountProfiles(ProfileCatalog catalog, AccountSnapshots accounts, ProfileStore store) {
        this.catalog = catalog;
        this.accounts = accounts;
        this.store = store;
    }

    /** The recomputed account and the segments it entered and left. */
    public record Recomputed(AccountSnapshot account, SegmentChange segments) {}

    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Recomputed> recompute(String accountId, Instant now) {
        return accounts.account(accountId).map(account -> recompute(account, now));
    }

    /** Recomputes from a snapshot just read (sweeps read a page of them at once) and stores what changed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Recomputed recompute(AccountSnapshot account, Instant now) {
        AccountSnapshot.Profile profile = compute(catalog.definitions(), account, now);
        // Most events and sweeps change nothing computed: no lock, no write.
        SegmentChange change = profile.sameAs(account.profile())
                ? SegmentChange.NONE
                : store.save(account.id(), account.profile(), profile, now);
        return new Recomputed(withProfile(account, profile), change);
    }

    /**
     * Recomputes several accounts from snapshots and stores those whose profile changed with a
     * statement per table. Read under the transaction's locks on the accounts (as events are
     * applied), the changes are exact; read without (as a sweep reads a page), an account changed
     * meanwhile is stored as computed here, as the last writer.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, Recomputed> recomputeAll(Collection<AccountSnapshot> snapshots, Instant now) {
        Map<String, Recomputed> recomputed = new LinkedHashMap<>();
        Map<String, AccountSnapshot.Profile> before = new HashMap<>();
        Map<String, AccountSnapshot.Profile> after = new HashMap<>();
        for (AccountSnapshot account : snapshots) {
            AccountSnapshot.Profile profile = compute(catalog.definitions(), account, now);
            recomputed.put(account.id(), new Recomputed(withProfile(account, profile), SegmentChange.NONE));
            if (!profile.sameAs(account.profile())) {
                before.put(account.id(), account.profile());
                after.put(account.id(), profile);
            }
        }
        if (!after.isEmpty()) {
            store.saveAll(before, after, now)
                    .forEach((accountId, change) -> recomputed.put(
                            accountId, new Recomputed(recomputed.get(accountId).account(), change)));
        }
        return recomputed;
    }

    /** The profile of an account under these definitions, at {@code now}. Pure: reads nothing else. */
    static AccountSnapshot.Profile compute(ProfileDefinitions definitions, AccountSnapshot account, Instant now) {
        Map<String, Instant> milestones = new LinkedHashMap<>(account.profile().milestones());
        for (ProfileDefinitions.MilestoneDefinition milestone :
                definitions.milestones().values()) {
            EventStats stats = account.events().getOrDefault(milestone.event(), EventStats.NEVER);
            if (!milestones.containsKey(milestone.name()) && stats.count() >= milestone.count()) {
                // Reached when the event happened for the count-th time; the last time is the best we keep.
                milestones.put(milestone.name(), milestone.count() == 1 ? stats.firstAt() : stats.lastAt());
            }
        }
        Instant activatedAt = account.profile().activatedAt();
        if (activatedAt == null
                && !definitions.activatedWhen().isEmpty()
                && definitions.activatedWhen().stream().allMatch(milestones::containsKey)) {
            activatedAt = definitions.activatedWhen().stream()
                    .map(milestones::get)
                    .max(Instant::compareTo)
                    .orElseThrow();
        }
        AccountSnapshot.Profile partial = new AccountSnapshot.Profile(
                account.profile().segments(),
                milestones,
                activatedAt,
                account.profile().lifecycleStage(),
                null,
                null);
        AccountSnapshot withMilestones = withProfile(account, partial);

        Integer score = healthScore(definitions, withMilestones, now);
        String band = score == null ? null : bandOf(definitions, score);
        AccountSnapshot withHealth = withProfile(
                account,
                new AccountSnapshot.Profile(
                        partial.segments(), milestones, activatedAt, partial.lifecycleStage(), score, band));

        String stage = stageOf(definitions, withHealth, now);
        AccountSnapshot withStage = withProfile(
                account, new AccountSnapshot.Profile(partial.segments(), milestones, activatedAt, stage, score, band));

        List<String> segments = new ArrayList<>();
        Evaluating staged = new Evaluating(withStage, now);
        for (ProfileDefinitions.SegmentDefinition segment :
                definitions.segments().values()) {
            if (staged.holds(segment.condition(), "segment " + segment.name())) {
                segments.add(segment.name());
            }
        }
        return new AccountSnapshot.Profile(
                List.copyOf(segments), Map.copyOf(milestones), activatedAt, stage, score, band);
    }

    /**
     * Whether an account is in a segment by the segment's condition, evaluated at {@code at}: for
     * reports that place accounts by their state at an earlier time, not by their membership now.
     */
    public static boolean inSegment(ProfileDefinitions.SegmentDefinition segment, AccountSnapshot account, Instant at) {
        return new Evaluating(account, at).holds(segment.condition(), "segment " + segment.name());
    }

    private static Integer healthScore(ProfileDefinitions definitions, AccountSnapshot account, Instant now) {
        return readHealth(definitions, account, now).map(HealthReading::score).orElse(null);
    }

    /** A health score with its band and the value (0 to 1) of each signal that made it. */
    public record HealthReading(int score, String band, Map<String, Double> signals) {}

    /**
     * The account's health under these definitions at {@code now}, signal by signal; none without
     * signals. A signal that fails to evaluate counts as 0, as in the score rules read.
     */
    public static Optional<HealthReading> readHealth(
            ProfileDefinitions definitions, AccountSnapshot account, Instant now) {
        if (definitions.healthSignals().isEmpty()) {
            return Optional.empty();
        }
        double weighted = 0;
        double weights = 0;
        Map<String, Double> signals = new LinkedHashMap<>();
        Evaluating evaluating = new Evaluating(account, now);
        for (ProfileDefinitions.HealthSignal signal :
                definitions.healthSignals().values()) {
            double value;
            try {
                value = signal.value().number(evaluating.variables(), evaluating.functions());
            } catch (Condition.InvalidCondition e) {
                LOG.debugf("health signal %s failed for account %s: %s", signal.name(), account.id(), e.getMessage());
                value = 0;
            }
            double clamped = Math.max(0, Math.min(1, value));
            signals.put(signal.name(), clamped);
            weighted += signal.weight() * clamped;
            weights += signal.weight();
        }
        int score = (int) Math.round(100 * weighted / weights);
        return Optional.of(new HealthReading(score, bandOf(definitions, score), signals));
    }

    private static String bandOf(ProfileDefinitions definitions, int score) {
        return definitions.healthBands().stream()
                .filter(band -> score >= band.min())
                .findFirst()
                .map(ProfileDefinitions.HealthBand::name)
                .orElse(null);
    }

    private static String stageOf(ProfileDefinitions definitions, AccountSnapshot account, Instant now) {
        Evaluating evaluating = new Evaluating(account, now);
        if (evaluating.holds(definitions.churnedWhen(), "lifecycle.churned")) {
            return CHURNED;
        }
        if (evaluating.holds(definitions.atRiskWhen(), "lifecycle.at_risk")) {
            return AT_RISK;
        }
        if (account.profile().activatedAt() != null) {
            return ACTIVATED;
        }
        boolean withinWindow =
                Duration.between(account.signedUpAt(), now).compareTo(definitions.activationWindow()) <= 0;
        if (!withinWindow && !definitions.activatedWhen().isEmpty()) {
            return AT_RISK;
        }
        return account.profile().milestones().isEmpty() ? NEW : ONBOARDING;
    }

    /**
     * An account's variables and functions for conditions, built once for all the conditions
     * read at one stage of the computation (building them is a good part of evaluating one).
     */
    private record Evaluating(AccountSnapshot account, Map<String, Object> variables, ConditionFunctions functions) {

        Evaluating(AccountSnapshot account, Instant now) {
            this(
                    account,
                    ConditionVariables.of(account, null, null, Map.of()),
                    new ConditionFunctions(account, null, now));
        }

        boolean holds(Condition condition, String what) {
            try {
                return condition.holds(variables, functions);
            } catch (Condition.InvalidCondition e) {
                LOG.debugf("%s failed for account %s: %s", what, account.id(), e.getMessage());
                return false;
            }
        }
    }

    static AccountSnapshot withProfile(AccountSnapshot account, AccountSnapshot.Profile profile) {
        return new AccountSnapshot(
                account.id(),
                account.name(),
                account.plan(),
                account.mrr(),
                account.arr(),
                account.signedUpAt(),
                account.timezone(),
                account.locale(),
                account.ownerCsm(),
                account.traits(),
                account.firstSeenAt(),
                account.userIds(),
                account.events(),
                profile);
    }
}
