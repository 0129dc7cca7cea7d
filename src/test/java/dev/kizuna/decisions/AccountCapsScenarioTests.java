package dev.kizuna.decisions;

import static dev.kizuna.TestKeys.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.kizuna.ScenarioProfile;
import dev.kizuna.SegmentCalls;
import dev.kizuna.TestClock;
import dev.kizuna.TestSmtp;
import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.rules.Evaluation;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Frequency caps per account: a company whose people all sign up on one day does not get an
 * email for each of them. Here at most 3 emails a day and 4 a week reach the users of an
 * account, across rules (every user's welcome email is once per user).
 */
@QuarkusTest
@TestProfile(ScenarioProfile.class)
class AccountCapsScenarioTests {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(TestSmtp.SETUP).withPerMethodLifecycle(false);

    @Inject
    TestClock clock;

    @Inject
    Decider decider;

    @Inject
    AccountSnapshots accounts;

    @Inject
    RuleCatalog catalog;

    @Test
    void theUsersOfOneAccountShareItsDailyAndWeeklyEmailCaps() {
        clock.set(Instant.parse("2026-11-09T10:00:00Z"));
        // In one batch, with another account's users among them: its calls are decided in sets
        // that read the accounts' messages together, each decision counting those before it.
        signUpTogether(List.of(
                "caps-co",
                "u-caps-1",
                "caps-other",
                "u-caps-other",
                "caps-co",
                "u-caps-2",
                "caps-co",
                "u-caps-3",
                "caps-other",
                "u-caps-other-2",
                "caps-co",
                "u-caps-4",
                "caps-co",
                "u-caps-5"));

        for (int i = 1; i <= 3; i++) {
            assertEquals(List.of("going"), statusesOf("u-caps-" + i, "welcome-new-workspace", "email"), "user " + i);
        }
        for (int i = 4; i <= 5; i++) {
            Map<String, Object> capped = messageOf("u-caps-" + i, "welcome-new-workspace", "email");
            assertEquals("capped", capped.get("status"), "user " + i);
            assertTrue(
                    String.valueOf(capped.get("error"))
                            .startsWith(
                                    "frequency cap per account: 3 email messages to the users of account"
                                            + " 'caps-co' in the last 24 hours (cap 3, kizuna.decisions.account-email-per-day)"),
                    String.valueOf(capped.get("error")));
        }
        assertEquals(
                List.of("going"),
                statusesOf("u-caps-5", "welcome-new-workspace", "inapp"),
                "no cap per account on nudges");
        assertEquals(
                List.of("going"),
                statusesOf("u-caps-other", "welcome-new-workspace", "email"),
                "another account has its own caps");
        assertEquals(List.of("going"), statusesOf("u-caps-other-2", "welcome-new-workspace", "email"));

        clock.set(clock.instant().plus(Duration.ofHours(25)));
        signUpTogether(List.of("caps-co", "u-caps-6", "caps-other", "u-caps-other-3", "caps-co", "u-caps-7"));
        assertEquals(
                List.of("going"),
                statusesOf("u-caps-6", "welcome-new-workspace", "email"),
                "a new day: 3 this week, cap 4");
        Map<String, Object> capped = messageOf("u-caps-7", "welcome-new-workspace", "email");
        assertEquals("capped", capped.get("status"));
        assertTrue(
                String.valueOf(capped.get("error"))
                        .startsWith("frequency cap per account: 4 email messages to the users of account"
                                + " 'caps-co' in the last 7 days (cap 4, kizuna.decisions.account-email-per-week)"),
                String.valueOf(capped.get("error")));
    }

    @Test
    void theExplanationOfARuleShowsTheCapPerAccount() {
        clock.set(Instant.parse("2026-11-16T10:00:00Z"));
        for (int i = 1; i <= 3; i++) {
            signUp("caps-explained", "u-caps-explained-" + i);
        }
        join("caps-explained", "u-caps-explained-4");

        List<Map<String, Object>> checks = asAdmin()
                .queryParam("rule", "welcome-new-workspace")
                .queryParam("userId", "u-caps-explained-4")
                .get("/api/accounts/caps-explained/explain")
                .then()
                .statusCode(200)
                .extract()
                .path("users[0].checks");
        assertTrue(
                checks.stream()
                        .anyMatch(check -> "cap".equals(check.get("name"))
                                && Boolean.FALSE.equals(check.get("passed"))
                                && String.valueOf(check.get("detail"))
                                        .contains("frequency cap per account: 3 email messages")),
                String.valueOf(checks));
    }

    @Test
    void aSetOfDecisionsCountsWhatTheAccountGotBeforeAndWhatTheSetDecided() {
        clock.set(Instant.parse("2026-11-23T10:00:00Z"));
        signUp("caps-set", "u-caps-set-1");
        for (int i = 2; i <= 4; i++) {
            join("caps-set", "u-caps-set-" + i);
        }
        join("caps-set-other", "u-caps-set-other");

        // Several recipients in one set: the accounts' messages are read ahead, as a sweep's page reads them.
        QuarkusTransaction.requiringNew().run(() -> {
            Rule welcome = catalog.find("welcome-new-workspace").orElseThrow();
            var cause = new Evaluation.Cause("event", "caps-set-test", "Signed Up", Map.of());
            AccountSnapshot account = accounts.account("caps-set").orElseThrow();
            AccountSnapshot other = accounts.account("caps-set-other").orElseThrow();
            List<Decider.Occasion> occasions = new java.util.ArrayList<>();
            for (int i = 2; i <= 4; i++) {
                occasions.add(new Decider.Occasion(
                        List.of(welcome),
                        new Evaluation.Recipient(
                                account, accounts.user("u-caps-set-" + i).orElseThrow()),
                        cause));
            }
            occasions.add(new Decider.Occasion(
                    List.of(welcome),
                    new Evaluation.Recipient(
                            other, accounts.user("u-caps-set-other").orElseThrow()),
                    cause));
            decider.decideAll(occasions);
        });

        assertEquals(
                List.of("going"),
                statusesOf("u-caps-set-2", "welcome-new-workspace", "email"),
                "1 logged before: 2 today");
        assertEquals(List.of("going"), statusesOf("u-caps-set-3", "welcome-new-workspace", "email"), "3 today");
        assertEquals(
                "capped",
                messageOf("u-caps-set-4", "welcome-new-workspace", "email").get("status"),
                "3 today already");
        assertEquals(
                List.of("going"),
                statusesOf("u-caps-set-other", "welcome-new-workspace", "email"),
                "another account's own caps");
    }

    private void identify(String user) {
        SegmentCalls.at(clock.instant())
                .identify(user, Map.of("email", user + "@caps.example"))
                .statusCode(200);
    }

    /** A user of a trial account who has not signed up (yet): no welcome. */
    private void join(String account, String user) {
        identify(user);
        SegmentCalls.at(clock.instant())
                .group(user, account, Map.of("plan", "trial"))
                .statusCode(200);
    }

    private void signUp(String account, String user) {
        join(account, user);
        SegmentCalls.at(clock.instant()).track(user, "Signed Up", account).statusCode(200);
    }

    /** Accounts and users in turn: account, user, account, user... */
    private void signUpTogether(List<String> accountsAndUsers) {
        List<Map<String, Object>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < accountsAndUsers.size(); i += 2) {
            String account = accountsAndUsers.get(i);
            String user = accountsAndUsers.get(i + 1);
            String at = clock.instant().toString();
            calls.add(Map.of(
                    "type",
                    "identify",
                    "userId",
                    user,
                    "traits",
                    Map.of("email", user + "@caps.example"),
                    "timestamp",
                    at));
            calls.add(Map.of(
                    "type",
                    "group",
                    "userId",
                    user,
                    "groupId",
                    account,
                    "traits",
                    Map.of("plan", "trial"),
                    "timestamp",
                    at));
            calls.add(Map.of(
                    "type",
                    "track",
                    "userId",
                    user,
                    "event",
                    "Signed Up",
                    "context",
                    Map.of("groupId", account),
                    "timestamp",
                    at));
        }
        SegmentCalls.batch(calls).statusCode(200);
    }

    /** Queued and sent both read "going", as sending races the test. */
    private static List<String> statusesOf(String user, String rule, String channel) {
        List<String> statuses = asAdmin()
                .queryParam("userId", user)
                .queryParam("rule", rule)
                .queryParam("channel", channel)
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .path("items.status");
        return statuses.stream()
                .map(status -> status.equals("queued") || status.equals("sent") ? "going" : status)
                .toList();
    }

    private static Map<String, Object> messageOf(String user, String rule, String channel) {
        List<Map<String, Object>> items = asAdmin()
                .queryParam("userId", user)
                .queryParam("rule", rule)
                .queryParam("channel", channel)
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .path("items");
        assertEquals(1, items.size(), "one message of " + rule + " to " + user + ": " + items);
        return asAdmin()
                .get("/api/messages/" + items.get(0).get("id"))
                .then()
                .statusCode(200)
                .extract()
                .path("");
    }
}
