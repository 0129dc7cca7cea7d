package dev.kizuna.decisions;

import static dev.kizuna.TestKeys.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.kizuna.ScenarioProfile;
import dev.kizuna.SegmentCalls;
import dev.kizuna.TestClock;
import dev.kizuna.TestSmtp;
import dev.kizuna.rules.HoldoutAssignment;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 240 synthetic accounts in six cohorts with scripted behaviour over 30 simulated days, every
 * sample rule in play. The expected messages are written down per cohort below; the message log
 * must equal them exactly: which rule, which channel, which day, sent or held out.
 */
@QuarkusTest
@TestProfile(ScenarioProfile.class)
class OnboardingScenarioTests {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(TestSmtp.SETUP).withPerMethodLifecycle(false);

    /** Day 0 is a Monday; every day's activity happens at 10:00 UTC, outside quiet hours. */
    private static final Instant DAY_0 = Instant.parse("2027-03-01T10:00:00Z");

    private static final int DAYS = 30;
    private static final int PER_COHORT = 40;

    enum Cohort {
        TRIAL_IDLE,
        TRIAL_BUILDER,
        FREE_AT_LIMIT,
        MID_SIZE_UNACTIVATED,
        TRIAL_UPGRADES,
        ACTIVE_THEN_IDLE
    }

    @Inject
    TestClock clock;

    @Inject
    Sweeps sweeps;

    @Inject
    SweepWorkers sweepWorkers;

    @Inject
    ScheduleRuns scheduleRuns;

    @Test
    void theMessageLogEqualsTheScriptedExpectation() {
        List<String> accounts = new ArrayList<>();
        Map<String, Cohort> cohortOf = new HashMap<>();
        for (Cohort cohort : Cohort.values()) {
            for (int i = 0; i < PER_COHORT; i++) {
                String account = "os-" + cohort.name().toLowerCase().replace('_', '-') + "-" + i;
                accounts.add(account);
                cohortOf.put(account, cohort);
            }
        }

        for (int day = 0; day < DAYS; day++) {
            clock.set(DAY_0.plus(Duration.ofDays(day)));
            List<Map<String, Object>> calls = new ArrayList<>();
            for (String account : accounts) {
                act(cohortOf.get(account), account, day, calls);
            }
            // The day's calls as a product's library sends them, in batches; each account's in order.
            SegmentCalls.inBatches(calls);
            sweeps.runDueTimers();
            if (day % 7 == 0) {
                // A profile refresh brings in what time alone changed. Every such change in this
                // script comes with day 7 (seven days since signup), so a refresh before each
                // Monday firing gives the log that the hourly refreshes of a deployment give (a
                // refresh every day was checked to give the same), at a seventh of the cost.
                Firings.runToEnd(sweepWorkers, sweeps, scheduleRuns, "scenario-refresh-" + day);
                Firings.runToEnd(
                        sweepWorkers, sweeps, scheduleRuns, "scenario-week-" + day / 7, "weekly-onboarding-checkin");
            }
        }

        TreeSet<String> expected = new TreeSet<>();
        for (String account : accounts) {
            expected.addAll(expectedFor(cohortOf.get(account), account));
        }
        TreeSet<String> actual = new TreeSet<>();
        for (String account : accounts) {
            actual.addAll(loggedFor(account));
        }
        TreeSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        TreeSet<String> unexpected = new TreeSet<>(actual);
        unexpected.removeAll(expected);
        assertEquals(
                expected,
                actual,
                () -> "missing " + missing.size() + ": " + summary(missing) + "\nunexpected " + unexpected.size() + ": "
                        + summary(unexpected));
    }

    /** What each cohort does on each day: the calls it makes, added to the day's. */
    private void act(Cohort cohort, String account, int day, List<Map<String, Object>> calls) {
        String user = "u-" + account;
        switch (cohort) {
            case TRIAL_IDLE -> {
                if (day == 0) {
                    signUp(calls, account, user, Map.of("plan", "trial"));
                }
            }
            case TRIAL_BUILDER -> {
                if (day == 0) {
                    signUp(calls, account, user, Map.of("plan", "trial"));
                }
                switch (day) {
                    case 1 -> track(calls, user, account, "Project Created");
                    case 2, 3 -> track(calls, user, account, "Teammate Invited");
                    case 4 -> track(calls, user, account, "Integration Connected");
                    case 5 -> {
                        for (int task = 0; task < 10; task++) {
                            track(calls, user, account, "Task Completed");
                        }
                    }
                    default -> {}
                }
                track(calls, user, account, "Logged In");
            }
            case FREE_AT_LIMIT -> {
                if (day == 0) {
                    signUp(calls, account, user, Map.of("plan", "free"));
                }
                if (day == 2 || day == 5) {
                    track(calls, user, account, "Usage Limit Reached");
                }
            }
            case MID_SIZE_UNACTIVATED -> {
                if (day == 0) {
                    signUp(
                            calls,
                            account,
                            user,
                            Map.of("plan", "business", "mrr", 1000, "csm", "yui@tasklane.example"));
                }
                track(calls, user, account, "Logged In");
            }
            case TRIAL_UPGRADES -> {
                if (day == 0) {
                    signUp(calls, account, user, Map.of("plan", "trial"));
                }
                if (day == 1) {
                    track(calls, user, account, "Project Created");
                }
                if (day == 10) {
                    calls.add(SegmentCalls.groupCall(user, account, Map.of("plan", "team"), clock.instant()));
                }
            }
            case ACTIVE_THEN_IDLE -> {
                if (day == 0) {
                    signUp(calls, account, user, Map.of("plan", "team"));
                }
                if (day == 1) {
                    track(calls, user, account, "Project Created");
                    track(calls, user, account, "Teammate Invited");
                    for (int task = 0; task < 10; task++) {
                        track(calls, user, account, "Task Completed");
                    }
                }
                if (day <= 5) {
                    track(calls, user, account, "Logged In");
                }
            }
        }
    }

    /**
     * The specification: for each cohort, the messages its user must get, as
     * "rule channel outcome day". Held-out accounts are those the rule's holdout picks.
     */
    private static List<String> expectedFor(Cohort cohort, String account) {
        List<String> messages = new ArrayList<>();
        switch (cohort) {
            case TRIAL_IDLE -> {
                // Signed up on a trial: welcome by email and in-app.
                messages.add("welcome-new-workspace email sent day 0");
                messages.add("welcome-new-workspace inapp sent day 0");
                // Three days later with no project: the reminder, or the holdout record.
                messages.add(
                        "first-project-reminder email " + holdout("first-project-reminder", account, 20) + " day 3");
                // Health 0 from day 7: that day's profile refresh puts the account in at-risk; tech-touch gets the
                // in-app offer.
                messages.add("offer-help-at-risk inapp " + holdout("offer-help-at-risk", account, 10) + " day 7");
            }
            case TRIAL_BUILDER -> {
                messages.add("welcome-new-workspace email sent day 0");
                messages.add("welcome-new-workspace inapp sent day 0");
                // The first project, before any teammate: invite the team (both channels).
                messages.add("invite-teammates inapp sent day 1");
                messages.add("invite-teammates email sent day 1");
                // The second teammate: connect an integration.
                messages.add("connect-integration email sent day 3");
                // No reminder: a project was created before day 3. Active daily and activated: healthy, never at risk.
            }
            case FREE_AT_LIMIT -> {
                // Only trials are welcomed. The upgrade offer goes once per user, on the first limit.
                messages.add("upgrade-at-usage-limit inapp sent day 2");
                messages.add("offer-help-at-risk inapp " + holdout("offer-help-at-risk", account, 10) + " day 7");
            }
            case MID_SIZE_UNACTIVATED -> {
                // Low-touch (ARR 12,000), never activated: the check-in every Monday, once a week.
                for (int monday = 0; monday < DAYS; monday += 7) {
                    messages.add("weekly-onboarding-checkin email sent day " + monday);
                }
                // Health stays below 'healthy': at-risk from day 7 (its login that day recomputes it).
                // Low-touch: the owner CSM is alerted and the user gets the in-app offer.
                messages.add("alert-csm-at-risk csm sent day 7");
                messages.add("offer-help-at-risk inapp " + holdout("offer-help-at-risk", account, 10) + " day 7");
            }
            case TRIAL_UPGRADES -> {
                messages.add("welcome-new-workspace email sent day 0");
                messages.add("welcome-new-workspace inapp sent day 0");
                messages.add("invite-teammates inapp sent day 1");
                messages.add("invite-teammates email sent day 1");
                messages.add("offer-help-at-risk inapp " + holdout("offer-help-at-risk", account, 10) + " day 7");
                // Day 10: plan team, the account leaves the trial segment.
                messages.add("thank-you-for-upgrading inapp sent day 10");
            }
            case ACTIVE_THEN_IDLE -> {
                messages.add("invite-teammates inapp sent day 1");
                messages.add("invite-teammates email sent day 1");
                // Logins stop after day 5: health falls below healthy; at-risk from the day-7 refresh.
                messages.add("offer-help-at-risk inapp " + holdout("offer-help-at-risk", account, 10) + " day 7");
                // Fourteen days after the last login (day 5), activated: the win-back email or its holdout record.
                messages.add("win-back-inactive email " + holdout("win-back-inactive", account, 10) + " day 19");
            }
        }
        return messages.stream().map(message -> account + " " + message).toList();
    }

    /** One example per cohort and message kind, so a failure reads in a few lines. */
    private static String summary(TreeSet<String> messages) {
        java.util.Map<String, String> examples = new java.util.TreeMap<>();
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String message : messages) {
            String kind = message.replaceAll("-\\d+ ", " ");
            examples.putIfAbsent(kind, message);
            counts.merge(kind, 1, Integer::sum);
        }
        StringBuilder text = new StringBuilder();
        examples.forEach((kind, example) ->
                text.append("\n  ").append(counts.get(kind)).append(" x ").append(example));
        return text.toString();
    }

    private static String holdout(String rule, String account, int percent) {
        return HoldoutAssignment.heldOut(rule, account, percent) ? "held_out" : "sent";
    }

    /** The message log for an account, in the same form. */
    private static List<String> loggedFor(String account) {
        List<Map<String, Object>> items = asAdmin()
                .queryParam("accountId", account)
                .queryParam("limit", 500)
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .path("items");
        List<String> logged = new ArrayList<>();
        for (Map<String, Object> item : items) {
            String status = (String) item.get("status");
            String outcome = status.equals("queued") || status.equals("sent") ? "sent" : status;
            long day = Duration.between(DAY_0, Instant.parse((String) item.get("createdAt")))
                    .toDays();
            logged.add(account + " " + item.get("rule") + " " + item.get("channel") + " " + outcome + " day " + day);
        }
        return logged;
    }

    private void signUp(List<Map<String, Object>> calls, String account, String user, Map<String, Object> traits) {
        calls.add(SegmentCalls.identifyCall(user, Map.of("email", user + "@scenario.example"), clock.instant()));
        calls.add(SegmentCalls.groupCall(user, account, traits, clock.instant()));
        calls.add(SegmentCalls.trackCall(user, "Signed Up", account, clock.instant()));
    }

    private void track(List<Map<String, Object>> calls, String user, String account, String event) {
        calls.add(SegmentCalls.trackCall(user, event, account, clock.instant()));
    }
}
