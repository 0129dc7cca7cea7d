package dev.kizuna.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.EventStats;
import dev.kizuna.expression.Condition;
import dev.kizuna.segments.ProfileDefinitions.HealthBand;
import dev.kizuna.segments.ProfileDefinitions.HealthSignal;
import dev.kizuna.segments.ProfileDefinitions.MilestoneDefinition;
import dev.kizuna.segments.ProfileDefinitions.SegmentDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Kizuna computes about an account from its state alone: milestones, activation, health, stage and segments. */
class AccountProfilesTest {

    private static final Instant SIGNED_UP = Instant.parse("2026-03-01T09:00:00Z");
    private static final Instant NOW = SIGNED_UP.plus(Duration.ofDays(3));

    /** Two milestones make an account activated within 14 days; no health signals, no segments. */
    private static final ProfileDefinitions ACTIVATION = new ProfileDefinitions(
            Map.of(),
            inOrder(
                    Map.entry("created_project", new MilestoneDefinition("created_project", "", "Project Created", 1)),
                    Map.entry("completed_tasks", new MilestoneDefinition("completed_tasks", "", "Task Completed", 10))),
            List.of("created_project", "completed_tasks"),
            Duration.ofDays(14),
            Condition.compile("account.plan == 'cancelled'"),
            Condition.compile("account.health.band == 'poor'"),
            Map.of(),
            List.of());

    private static final List<HealthBand> HEALTHY_OR_POOR =
            List.of(new HealthBand("healthy", 60), new HealthBand("poor", 0));
    private static final HealthSignal LOGINS_OUT_OF_TEN =
            new HealthSignal("logins", 1, Condition.compile("ratio(count('Logged In'), 10)"));

    @Test
    void aMilestoneIsReachedOnlyOnceItsEventHappenedTheRequiredNumberOfTimes() {
        Instant ninth = SIGNED_UP.plus(Duration.ofHours(20));
        AccountSnapshot nine = account(
                Map.of("Task Completed", stats(9, SIGNED_UP.plusSeconds(60), ninth)), AccountSnapshot.Profile.EMPTY);
        assertFalse(compute(ACTIVATION, nine).milestones().containsKey("completed_tasks"));

        Instant tenth = SIGNED_UP.plus(Duration.ofHours(30));
        AccountSnapshot ten = account(
                Map.of("Task Completed", stats(10, SIGNED_UP.plusSeconds(60), tenth)), AccountSnapshot.Profile.EMPTY);
        assertEquals(Map.of("completed_tasks", tenth), compute(ACTIVATION, ten).milestones());
    }

    @Test
    void aOneTimeMilestoneIsReachedWhenItsEventFirstHappened() {
        Instant first = SIGNED_UP.plus(Duration.ofHours(1));
        AccountSnapshot account = account(
                Map.of("Project Created", stats(3, first, SIGNED_UP.plus(Duration.ofDays(2)))),
                AccountSnapshot.Profile.EMPTY);

        assertEquals(
                Map.of("created_project", first), compute(ACTIVATION, account).milestones());
    }

    @Test
    void aMilestoneOnceReachedKeepsItsTimeAsLaterEventsArrive() {
        Instant reached = SIGNED_UP.plus(Duration.ofHours(1));
        AccountSnapshot account = account(
                Map.of("Project Created", stats(5, SIGNED_UP.plus(Duration.ofHours(2)), NOW)),
                profile(Map.of("created_project", reached), null, "onboarding"));

        assertEquals(reached, compute(ACTIVATION, account).milestones().get("created_project"));
    }

    @Test
    void anAccountIsActivatedWhenItsLastRequiredMilestoneWasReached() {
        Instant project = SIGNED_UP.plus(Duration.ofHours(1));
        Instant tenthTask = SIGNED_UP.plus(Duration.ofHours(50));
        AccountSnapshot account = account(
                Map.of(
                        "Project Created", stats(1, project, project),
                        "Task Completed", stats(10, SIGNED_UP.plus(Duration.ofHours(2)), tenthTask)),
                AccountSnapshot.Profile.EMPTY);

        AccountSnapshot.Profile profile = compute(ACTIVATION, account);

        assertEquals(tenthTask, profile.activatedAt());
        assertEquals(AccountProfiles.ACTIVATED, profile.lifecycleStage());
    }

    @Test
    void oneMilestoneOfTwoIsOnboardingNotActivation() {
        Instant project = SIGNED_UP.plus(Duration.ofHours(1));
        AccountSnapshot account =
                account(Map.of("Project Created", stats(1, project, project)), AccountSnapshot.Profile.EMPTY);

        AccountSnapshot.Profile profile = compute(ACTIVATION, account);

        assertNull(profile.activatedAt());
        assertEquals(AccountProfiles.ONBOARDING, profile.lifecycleStage());
    }

    @Test
    void anAccountWithoutMilestonesIsNewWithinTheActivationWindow() {
        assertEquals(
                AccountProfiles.NEW,
                compute(ACTIVATION, account(Map.of(), AccountSnapshot.Profile.EMPTY))
                        .lifecycleStage());
    }

    @Test
    void anAccountNotActivatedWhenTheWindowHasPassedIsAtRisk() {
        AccountSnapshot account = account(Map.of(), AccountSnapshot.Profile.EMPTY);

        Instant windowEnds = SIGNED_UP.plus(Duration.ofDays(14));
        assertEquals(
                AccountProfiles.NEW,
                AccountProfiles.compute(ACTIVATION, account, windowEnds).lifecycleStage());
        assertEquals(
                AccountProfiles.AT_RISK,
                AccountProfiles.compute(ACTIVATION, account, windowEnds.plusSeconds(1))
                        .lifecycleStage());
    }

    @Test
    void theChurnedConditionWinsOverActivation() {
        Instant activated = SIGNED_UP.plus(Duration.ofDays(1));
        AccountSnapshot cancelled = withPlan(
                account(Map.of(), profile(Map.of("created_project", activated), activated, "activated")), "cancelled");

        assertEquals(AccountProfiles.CHURNED, compute(ACTIVATION, cancelled).lifecycleStage());
    }

    @Test
    void healthIsTheWeightedMeanOfItsSignalsClampedToZeroToOneWithTheBandItReaches() {
        ProfileDefinitions health = withHealth(
                inOrder(
                        Map.entry(
                                "logins",
                                new HealthSignal("logins", 3, Condition.compile("ratio(count('Logged In'), 4)"))),
                        Map.entry(
                                "team",
                                new HealthSignal("team", 1, Condition.compile("count('Teammate Invited') * 5")))),
                HEALTHY_OR_POOR);
        AccountSnapshot account = account(
                Map.of(
                        "Logged In", stats(2, SIGNED_UP, NOW),
                        "Teammate Invited", stats(1, SIGNED_UP, SIGNED_UP)),
                AccountSnapshot.Profile.EMPTY);

        AccountSnapshot.Profile profile = compute(health, account);

        // (3 × 2/4 + 1 × min(5, 1)) / 4 = 0.625
        assertEquals(63, profile.healthScore());
        assertEquals("healthy", profile.healthBand());
        assertEquals(
                Map.of("logins", 0.5, "team", 1.0),
                AccountProfiles.readHealth(health, account, NOW).orElseThrow().signals());
    }

    @Test
    void aScoreBelowEveryBandHasNoBandAndNoSignalsMeanNoScore() {
        ProfileDefinitions health = withHealth(
                Map.of("logins", LOGINS_OUT_OF_TEN),
                List.of(new HealthBand("healthy", 60), new HealthBand("fair", 30)));
        AccountSnapshot.Profile profile =
                compute(health, account(Map.of("Logged In", stats(2, SIGNED_UP, NOW)), AccountSnapshot.Profile.EMPTY));
        assertEquals(20, profile.healthScore());
        assertNull(profile.healthBand());

        AccountSnapshot.Profile none = compute(ACTIVATION, account(Map.of(), AccountSnapshot.Profile.EMPTY));
        assertNull(none.healthScore());
        assertNull(none.healthBand());
    }

    @Test
    void segmentsReadTheStageAndHealthComputedInTheSamePass() {
        ProfileDefinitions definitions = new ProfileDefinitions(
                inOrder(
                        Map.entry(
                                "onboarding",
                                new SegmentDefinition(
                                        "onboarding", "", Condition.compile("account.stage == 'onboarding'"))),
                        Map.entry(
                                "healthy",
                                new SegmentDefinition(
                                        "healthy", "", Condition.compile("account.health.band == 'healthy'"))),
                        Map.entry(
                                "paying",
                                new SegmentDefinition("paying", "", Condition.compile("account.plan == 'business'")))),
                ACTIVATION.milestones(),
                ACTIVATION.activatedWhen(),
                ACTIVATION.activationWindow(),
                ACTIVATION.churnedWhen(),
                ACTIVATION.atRiskWhen(),
                Map.of(
                        "project",
                        new HealthSignal("project", 1, Condition.compile("milestone('created_project') ? 1 : 0"))),
                HEALTHY_OR_POOR);
        Instant project = SIGNED_UP.plus(Duration.ofHours(1));
        // The account's stored profile predates the project: no milestone, no health, no segment yet.
        AccountSnapshot account =
                account(Map.of("Project Created", stats(1, project, project)), AccountSnapshot.Profile.EMPTY);

        AccountSnapshot.Profile profile = compute(definitions, account);

        assertEquals(100, profile.healthScore());
        assertEquals(List.of("onboarding", "healthy"), profile.segments());
    }

    @Test
    void theAtRiskConditionReadsTheHealthBandJustComputed() {
        ProfileDefinitions health = withHealth(Map.of("logins", LOGINS_OUT_OF_TEN), HEALTHY_OR_POOR);

        AccountSnapshot.Profile profile = compute(health, account(Map.of(), AccountSnapshot.Profile.EMPTY));

        assertEquals(0, profile.healthScore());
        assertEquals("poor", profile.healthBand());
        assertEquals(AccountProfiles.AT_RISK, profile.lifecycleStage());
    }

    private static AccountSnapshot.Profile compute(ProfileDefinitions definitions, AccountSnapshot account) {
        return AccountProfiles.compute(definitions, account, NOW);
    }

    /** {@link #ACTIVATION} with these health signals and bands. */
    private static ProfileDefinitions withHealth(Map<String, HealthSignal> signals, List<HealthBand> bands) {
        return new ProfileDefinitions(
                Map.of(),
                ACTIVATION.milestones(),
                ACTIVATION.activatedWhen(),
                ACTIVATION.activationWindow(),
                ACTIVATION.churnedWhen(),
                ACTIVATION.atRiskWhen(),
                signals,
                bands);
    }

    private static AccountSnapshot account(Map<String, EventStats> events, AccountSnapshot.Profile profile) {
        return new AccountSnapshot(
                "acme",
                "Acme",
                "trial",
                null,
                null,
                SIGNED_UP,
                null,
                null,
                null,
                Map.of(),
                SIGNED_UP,
                List.of("ada"),
                events,
                profile);
    }

    private static AccountSnapshot withPlan(AccountSnapshot account, String plan) {
        return new AccountSnapshot(
                account.id(),
                account.name(),
                plan,
                null,
                null,
                account.signedUpAt(),
                null,
                null,
                null,
                Map.of(),
                account.firstSeenAt(),
                account.userIds(),
                account.events(),
                account.profile());
    }

    private static AccountSnapshot.Profile profile(Map<String, Instant> milestones, Instant activatedAt, String stage) {
        return new AccountSnapshot.Profile(List.of(), milestones, activatedAt, stage, null, null);
    }

    private static EventStats stats(long count, Instant first, Instant last) {
        return new EventStats(count, first, last, count, count, Map.of());
    }

    /** Definitions in the order given, as the definition files keep their order. */
    @SafeVarargs
    private static <V> Map<String, V> inOrder(Map.Entry<String, V>... entries) {
        Map<String, V> map = new LinkedHashMap<>();
        for (Map.Entry<String, V> entry : entries) {
            map.put(entry.getKey(), entry.getValue());
        }
        return map;
    }
}
