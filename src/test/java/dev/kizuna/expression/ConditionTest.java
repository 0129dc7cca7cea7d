package dev.kizuna.expression;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.EventStats;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionTest {

    private static final Instant NOW = Instant.parse("2026-03-10T09:00:00Z");
    private static final AccountSnapshot ACCOUNT = new AccountSnapshot(
            "acme",
            "Acme",
            "trial",
            null,
            null,
            Instant.parse("2026-03-01T09:00:00Z"),
            null,
            null,
            null,
            Map.of("plan", "trial", "seats", 5),
            Instant.parse("2026-03-01T09:00:00Z"),
            List.of(),
            Map.of(
                    "Project Created",
                    new EventStats(
                            2,
                            Instant.parse("2026-03-02T09:00:00Z"),
                            Instant.parse("2026-03-07T09:00:00Z"),
                            1,
                            2,
                            Map.of(LocalDate.parse("2026-03-02"), 1L, LocalDate.parse("2026-03-07"), 1L))),
            new AccountSnapshot.Profile(
                    List.of("trial", "tech-touch"),
                    Map.of("created_project", Instant.parse("2026-03-02T09:00:00Z")),
                    null,
                    "onboarding",
                    35,
                    "churn_suspected"));
    private static final Map<String, Object> VARIABLES =
            Map.of("account", Map.of("id", "acme", "traits", ACCOUNT.traits()));
    private static final ConditionFunctions FUNCTIONS = new ConditionFunctions(ACCOUNT, null, NOW);

    private static boolean holds(String source) {
        return Condition.compile(source).holds(VARIABLES, FUNCTIONS);
    }

    @Test
    void readsTraitsOfTheAccount() {
        assertTrue(holds("account.traits.plan == 'trial' && account.traits.seats >= 5"));
        assertFalse(holds("account.traits.plan == 'business'"));
        assertTrue(holds("account.traits.plan =~ ['trial', 'free']"));
    }

    @Test
    void aMissingTraitIsNullNotAnError() {
        assertTrue(holds("account.traits.industry == null"));
    }

    @Test
    void countsEventsAndTimeSinceThem() {
        assertTrue(holds("count('Project Created') == 2"));
        assertTrue(holds("count('Teammate Invited') == 0 && !ever('Teammate Invited')"));
        assertTrue(holds("days_since('Project Created') == 3"));
        assertTrue(holds("days_since('Teammate Invited') == -1"));
        assertTrue(holds("days_since_signup() == 9"));
    }

    @Test
    void readsTheRecipientsEventCountsAsVariables() {
        Map<String, Object> variables = ConditionVariables.of(ACCOUNT, null, null, Map.of());
        assertTrue(Condition.compile(
                        "account.events['Project Created'].count == 2 && account.events['Project Created'].last7Days == 1"
                                + " && account.events['Project Created'].last30Days == 2")
                .holds(variables, FUNCTIONS));
        assertTrue(
                Condition.compile("account.events['Teammate Invited'] == null").holds(variables, FUNCTIONS));
        assertTrue(Condition.compile("size(account.events) == 1 && 'Project Created' =~ account.events"
                        + " && !('Teammate Invited' =~ account.events)")
                .holds(variables, FUNCTIONS));
    }

    @Test
    void functionsAnswerForTheRecipientEvaluatedWhateverCameBefore() {
        Condition condition = Condition.compile("count('Project Created') == 2 && in_segment('trial')");
        ConditionFunctions newcomer = new ConditionFunctions(
                new AccountSnapshot(
                        "newco",
                        "Newco",
                        "trial",
                        null,
                        null,
                        NOW,
                        null,
                        null,
                        null,
                        Map.of(),
                        NOW,
                        List.of(),
                        Map.of(),
                        new AccountSnapshot.Profile(List.of(), Map.of(), null, null, null, null)),
                null,
                NOW);
        for (int round = 0; round < 3; round++) {
            assertTrue(condition.holds(VARIABLES, FUNCTIONS));
            assertFalse(condition.holds(VARIABLES, newcomer));
        }
    }

    @Test
    void callsNoFunctionButThoseOfTheVocabulary() {
        Map<String, Object> variables = new java.util.HashMap<>(VARIABLES);
        for (String source :
                List.of("set('account', null) == null", "has('account')", "get('account') != null", "add(1, 2) == 3")) {
            assertThrows(
                    Condition.InvalidCondition.class,
                    () -> Condition.compile(source).holds(variables, FUNCTIONS),
                    source);
        }
        assertTrue(Condition.compile("account.id == 'acme'").holds(variables, FUNCTIONS));
    }

    @Test
    void countsEventsInRecentWindows() {
        assertTrue(holds("count_in_last('Project Created', 7) == 1"));
        assertTrue(holds("count_in_last('Project Created', 9) == 2"));
        assertTrue(holds("count_in_last('Project Created', 3) == 0"));
    }

    @Test
    void aWindowBeyondNinetyDaysFails() {
        assertThrows(RuntimeException.class, () -> holds("count_in_last('Project Created', 365) > 0"));
    }

    @Test
    void readsSegmentsMilestonesAndHealth() {
        assertTrue(holds("in_segment('trial') && !in_segment('high-touch')"));
        assertTrue(holds("milestone('created_project') && !milestone('invited_teammate') && !activated()"));
    }

    @Test
    void localTimeIsTheRecipientsUserFirstThenAccount() {
        var tokyoUser = new dev.kizuna.accounts.UserSnapshot(
                "u", null, null, null, "Asia/Tokyo", Map.of(), NOW, List.of(), Map.of());
        // 09:00 UTC on a Tuesday is 18:00 in Tokyo.
        var inTokyo = new ConditionFunctions(ACCOUNT, tokyoUser, NOW);
        assertTrue(
                Condition.compile("local_hour() == 18 && local_weekday() == 2").holds(VARIABLES, inTokyo));
        assertTrue(Condition.compile("local_hour() == 9").holds(VARIABLES, FUNCTIONS), "no timezone: UTC");
    }

    @Test
    void anEmptyConditionAlwaysHolds() {
        assertTrue(Condition.compile(null).holds(VARIABLES, FUNCTIONS));
        assertTrue(Condition.compile("  ").holds(VARIABLES, FUNCTIONS));
    }

    @Test
    void methodCallsOnDataAreRejectedAtCompileTime() {
        assertThrows(
                Condition.InvalidCondition.class, () -> Condition.compile("account.traits.plan.getClass() != null"));
        assertThrows(
                Condition.InvalidCondition.class,
                () -> Condition.compile("''.getClass().forName('java.lang.Runtime')"));
    }

    @Test
    void objectCreationAssignmentLoopsAndLambdasAreRejected() {
        assertThrows(Condition.InvalidCondition.class, () -> Condition.compile("new('java.io.File', '/etc/passwd')"));
        assertThrows(Condition.InvalidCondition.class, () -> Condition.compile("account = null"));
        assertThrows(Condition.InvalidCondition.class, () -> Condition.compile("for (x : [1, 2]) { x }"));
        assertThrows(Condition.InvalidCondition.class, () -> Condition.compile("(x) -> x"));
        assertThrows(Condition.InvalidCondition.class, () -> Condition.compile("var x = 1; x"));
    }

    @Test
    void aSyntaxErrorSaysWhere() {
        var error = assertThrows(Condition.InvalidCondition.class, () -> Condition.compile("account.traits.plan == "));
        assertTrue(error.getMessage().contains("@1:"), error.getMessage());
    }

    @Test
    void aConditionThatIsNotTrueOrFalseFailsForTheRecipient() {
        var error = assertThrows(Condition.InvalidCondition.class, () -> holds("account.traits.plan"));
        assertTrue(error.getMessage().contains("not true or false"), error.getMessage());
    }

    @Test
    void anUnknownFunctionFails() {
        assertThrows(Condition.InvalidCondition.class, () -> holds("exec('rm -rf /')"));
    }

    @Test
    void namesThatReachAJavaClassAreRefusedWhenCompiling() {
        for (String reachingForAClass : List.of(
                "account.class != null",
                "('' + account.class) =^ 'class '",
                "account.traits.plan.class != null",
                "user.getClass == null",
                "account['class'] != null",
                "account.traits.seats.declaringClass != null")) {
            var error = assertThrows(
                    Condition.InvalidCondition.class, () -> Condition.compile(reachingForAClass), reachingForAClass);
            assertTrue(error.getMessage().contains("Java classes are out of reach"), error.getMessage());
        }
        var error = assertThrows(
                Condition.InvalidCondition.class,
                () -> Condition.compile("account.id == 'x' || account.class != null"));
        assertTrue(error.getMessage().startsWith("'account.class'"), error.getMessage());
    }

    @Test
    void aJavaClassIsOutOfReachEvenThroughANameBuiltWhileEvaluating() {
        // Validation cannot see a name assembled from pieces; the engine itself must refuse it.
        assertThrows(
                Condition.InvalidCondition.class, () -> holds("('' + account.traits.plan['cla' + 'ss']) =^ 'class '"));
        assertThrows(Condition.InvalidCondition.class, () -> holds("('' + (1)['cla' + 'ss']) =^ 'class '"));
        assertTrue(holds("account['cla' + 'ss'] == null"), "on a map the name is only a missing key");
    }

    @Test
    void aTraitOrPropertyNamedClassIsReadAsData() {
        var variables = Map.<String, Object>of(
                "account", Map.of("traits", Map.of("class", "enterprise")),
                "event", Map.of("name", "Course Joined", "properties", Map.of("class", "7B")));
        assertTrue(Condition.compile("account.traits.class == 'enterprise' && event.properties['class'] == '7B'")
                .holds(variables, FUNCTIONS));
        assertFalse(Condition.compile("account.traits.class == 'class java.util.ImmutableCollections$Map1'")
                .holds(variables, FUNCTIONS));
    }
}
