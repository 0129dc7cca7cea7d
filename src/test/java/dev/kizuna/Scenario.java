package dev.kizuna;

import static org.hamcrest.Matchers.equalTo;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user of the product in an account, as the product reports them through Segment; each step
 * is a call that must be accepted. Reads as the story it sets up:
 * {@code Scenario.trialUser("ada", "acme").withEmail("ada@acme.example").signsUp()}. On a test
 * clock ({@link #at(Clock)}), each call says it happened at the clock's time when sent.
 */
public final class Scenario {

    public static final String SIGNED_UP = "Signed Up";

    private final String userId;
    private final String accountId;
    private final Map<String, Object> traits = new LinkedHashMap<>();
    private final Map<String, Object> accountTraits = new LinkedHashMap<>();
    private Clock clock;

    private Scenario(String userId, String accountId) {
        this.userId = userId;
        this.accountId = accountId;
        accountTraits.put("name", accountId);
    }

    /** A user in an account named after its id, with no traits yet. */
    public static Scenario user(String userId, String accountId) {
        return new Scenario(userId, accountId);
    }

    /** A user in an account on the trial plan. */
    public static Scenario trialUser(String userId, String accountId) {
        return user(userId, accountId).onPlan("trial");
    }

    public Scenario withEmail(String email) {
        traits.put("email", email);
        return this;
    }

    /** The user's traits as identify sends them (email, name, firstName, locale…). */
    public Scenario withTraits(Map<String, ?> userTraits) {
        traits.putAll(userTraits);
        return this;
    }

    public Scenario inAccountNamed(String name) {
        accountTraits.put("name", name);
        return this;
    }

    public Scenario onPlan(String plan) {
        accountTraits.put("plan", plan);
        return this;
    }

    /** The account's traits as group sends them (name, plan, …). */
    public Scenario withAccountTraits(Map<String, ?> traits) {
        accountTraits.putAll(traits);
        return this;
    }

    /** Each call from now on is stamped with this clock's time when it is sent. */
    public Scenario at(Clock testClock) {
        this.clock = testClock;
        return this;
    }

    /** Identify, group, then "Signed Up" with the messageId {@code <userId>-signup}. */
    public Scenario signsUp() {
        return signsUp(userId + "-signup");
    }

    /** Identify, group, then "Signed Up" with this messageId. */
    public Scenario signsUp(String messageId) {
        return identifies().joinsTheAccount().tracks(SIGNED_UP, messageId);
    }

    /** Identify with the user's traits. */
    public Scenario identifies() {
        SegmentCalls.identify(userId, traits, now()).statusCode(200).body("success", equalTo(true));
        return this;
    }

    /** Group into the account with its traits. */
    public Scenario joinsTheAccount() {
        SegmentCalls.group(userId, accountId, accountTraits, now())
                .statusCode(200)
                .body("success", equalTo(true));
        return this;
    }

    /** Track an event in the account, with Kizuna giving it a messageId. */
    public Scenario tracks(String event) {
        return tracks(event, null);
    }

    /** Track an event in the account with this messageId. */
    public Scenario tracks(String event, String messageId) {
        SegmentCalls.track(userId, event, accountId, messageId, now())
                .statusCode(200)
                .body("success", equalTo(true));
        return this;
    }

    private Instant now() {
        return clock == null ? null : clock.instant();
    }

    public String userId() {
        return userId;
    }

    public String accountId() {
        return accountId;
    }
}
