package dev.kizuna.reports;

import dev.kizuna.SegmentCalls;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A trial account with one user ("u-" + account), as a product reports it, at the test clock's time. */
final class TrialAccounts {

    private TrialAccounts() {}

    static void signUp(String account, Instant now) {
        signUp(account, now, Map.of("email", "u-" + account + "@attribution.example"));
    }

    /**
     * Without an email address, so that no email is queued: its status would change whenever the
     * instance's sender gets to it, while a test compares attribution at one moment.
     */
    static void signUpWithoutEmail(String account, Instant now) {
        signUp(account, now, Map.of("name", "User of " + account));
    }

    private static void signUp(String account, Instant now, Map<String, Object> traits) {
        String user = "u-" + account;
        String at = now.toString();
        SegmentCalls.batch(List.of(
                        Map.of("type", "identify", "userId", user, "traits", traits, "timestamp", at),
                        Map.of(
                                "type",
                                "group",
                                "userId",
                                user,
                                "groupId",
                                account,
                                "traits",
                                Map.of("plan", "trial"),
                                "timestamp",
                                at),
                        Map.of(
                                "type",
                                "track",
                                "userId",
                                user,
                                "event",
                                "Signed Up",
                                "context",
                                Map.of("groupId", account),
                                "timestamp",
                                at)))
                .statusCode(200);
    }

    static void track(String account, String event, Instant now) {
        SegmentCalls.send(
                        "track",
                        Map.of(
                                "userId",
                                "u-" + account,
                                "event",
                                event,
                                "context",
                                Map.of("groupId", account),
                                "timestamp",
                                now.toString()))
                .statusCode(200);
    }
}
