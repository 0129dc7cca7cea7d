package dev.kizuna.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.messages.Channel;
import dev.kizuna.problem.Problem.Violation;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleFileReaderTest {

    private static final Set<String> TEMPLATES = Set.of("welcome");
    private final RuleFileReader reader =
            new RuleFileReader((id, channel) -> TEMPLATES.contains(id) && channel == Channel.EMAIL);

    private static final String VALID = """
            name: Welcome
            trigger:
              event: Signed Up
            condition: account.traits.plan == 'trial'
            actions:
              - channel: email
                template: welcome
            limits:
              once_per: user
            """;

    @Test
    void aValidFileBecomesARuleWithAContentHashVersion() {
        RuleFileReader.Outcome outcome = reader.read("welcome.yaml", VALID);
        assertNotNull(outcome.rule(), () -> outcome.problems().toString());
        assertEquals("welcome", outcome.rule().id());
        assertEquals(12, outcome.rule().version().length());
        assertEquals(RuleDefinition.OncePer.USER, outcome.rule().oncePer());
        assertNotEquals(
                outcome.rule().version(),
                reader.read("welcome.yaml", VALID + "\n# edited\n").rule().version());
    }

    @Test
    void aWebhookActionNamesAConfiguredTargetAndOtherActionsNone() {
        RuleFileReader withTargets = new RuleFileReader(
                (id, channel) -> true, id -> java.util.Optional.empty(), Set.of(), Set.of(), Set.of("crm"));
        String webhook = "trigger:\n  event: X\nactions:\n  - channel: webhook\n    template: t\n";
        assertNotNull(withTargets.read("ok.yaml", webhook + "    target: crm\n").rule());
        Violation missing = onlyProblem(withTargets.read("missing.yaml", webhook));
        assertEquals(4, missing.line());
        assertEquals(
                "actions[0].target is required for a webhook action: the name of a target in kizuna.webhooks.targets (configured: crm)",
                missing.message());
        Violation onEmail = onlyProblem(withTargets.read(
                "email.yaml",
                "trigger:\n  event: X\nactions:\n  - channel: email\n    template: t\n" + "    target: crm\n"));
        assertEquals(6, onEmail.line());
        assertEquals(
                "actions[0].target is for webhook and slack actions only: a email action's message goes to its recipient",
                onEmail.message());
    }

    @Test
    void aRetentionOrExpansionGoalIsMeasuredOverItsOwnWindow() {
        Rule retained =
                reader.read("retained.yaml", VALID + "goal:\n  retained: 90d\n").rule();
        assertNotNull(retained);
        assertTrue(retained.goal().onRevenue());
        assertEquals(java.time.Duration.ofDays(90), retained.timing().goalWithin());
        assertEquals(
                java.time.Duration.ofDays(30),
                reader.read("expanded.yaml", VALID + "goal:\n  expanded: 30d\n")
                        .rule()
                        .timing()
                        .goalWithin());

        Violation withWindow = onlyProblem(reader.read("both.yaml", VALID + "goal:\n  retained: 90d\n  within: 14d\n"));
        assertEquals(12, withWindow.line());
        assertEquals(
                "goal.retained is measured over its own window (retained: 90d): leave out within",
                withWindow.message());
        Violation twoKinds =
                onlyProblem(reader.read("two.yaml", VALID + "goal:\n  expanded: 30d\n  event: Upgraded\n"));
        assertEquals("goal needs exactly one of milestone, event, retained or expanded", twoKinds.message());
        Violation badWindow = onlyProblem(reader.read("bad.yaml", VALID + "goal:\n  retained: soon\n"));
        assertEquals(11, badWindow.line());
        assertTrue(badWindow.message().startsWith("goal.retained: "), badWindow.message());
    }

    @Test
    void brokenYamlIsReportedWithFileAndLine() {
        Violation problem = onlyProblem(reader.read("broken.yaml", "name: x\ntrigger:\n  event: [unclosed\n"));
        assertEquals("broken.yaml", problem.file());
        assertNotNull(problem.line());
    }

    @Test
    void anUnknownKeyIsNamedWithItsLine() {
        Violation problem = onlyProblem(reader.read("typo.yaml", VALID.replace("limits:", "limitz:")));
        assertEquals(8, problem.line());
        assertTrue(problem.message().contains("limitz"), problem.message());
    }

    @Test
    void anUnknownKeyInsideASectionNamesTheSectionAndTheKeysItTakes() {
        Violation problem = onlyProblem(reader.read("typo.yaml", VALID.replace("once_per: user", "evry: 30d")));
        assertEquals(9, problem.line());
        assertEquals("limits: unknown key 'evry'; expected keys once_per, every, quiet_hours", problem.message());
    }

    @Test
    void aListWhereKeysBelongSaysWhichKeys() {
        Violation problem = onlyProblem(
                reader.read("shape.yaml", VALID.replace("limits:\n  once_per: user", "limits: [once_per, user]")));
        assertEquals(8, problem.line());
        assertEquals("limits: expected keys once_per, every, quiet_hours; found a list", problem.message());
    }

    @Test
    void textWhereAListBelongsSaysSo() {
        Violation problem = onlyProblem(reader.read("shape.yaml", VALID + "audience: trial\n"));
        assertEquals(10, problem.line());
        assertEquals("audience: expected a list; found \"trial\"", problem.message());
    }

    @Test
    void keysWhereTextBelongsNameTheNestedField() {
        Violation problem = onlyProblem(reader.read(
                "shape.yaml", VALID.replace("event: Signed Up", "after:\n    event: Signed Up\n    delay: {days: 3}")));
        assertEquals(5, problem.line());
        assertEquals("trigger.after.delay: expected text; found keys", problem.message());
    }

    @Test
    void aWordWhereANumberBelongsQuotesTheWord() {
        Violation problem = onlyProblem(reader.read("type.yaml", VALID + "priority: high\n"));
        assertEquals(10, problem.line());
        assertEquals("priority: expected a whole number; found \"high\"", problem.message());
    }

    @Test
    void aFractionWhereAWholeNumberBelongsIsRefusedRatherThanCutDown() {
        Violation problem = onlyProblem(reader.read("type.yaml", VALID + "holdout: 12.5\n"));
        assertEquals(10, problem.line());
        assertTrue(problem.message().startsWith("holdout: expected a whole number; found "), problem.message());
    }

    @Test
    void aValueOutsideAChoiceListsTheChoices() {
        Violation problem = onlyProblem(reader.read("choice.yaml", VALID.replace("once_per: user", "once_per: team")));
        assertEquals(9, problem.line());
        assertEquals("limits.once_per: expected one of user, account; found \"team\"", problem.message());
        Violation channel = onlyProblem(reader.read("choice.yaml", VALID.replace("channel: email", "channel: sms")));
        assertEquals(
                "actions[0].channel: expected one of email, inapp, csm, webhook, slack; found \"sms\"",
                channel.message());
    }

    @Test
    void aFileThatIsNotKeysAtAllSaysWhatARuleFileHolds() {
        Violation problem = onlyProblem(reader.read("list.yaml", "- name\n- trigger\n"));
        assertEquals(1, problem.line());
        assertTrue(
                problem.message().startsWith("expected keys name, description, priority, trigger"), problem.message());
        assertTrue(problem.message().endsWith("; found a list"), problem.message());
    }

    @Test
    void noProblemAboutTheShapeOfAFileSpeaksJava() {
        for (String broken : List.of(
                VALID + "limits: 3\n",
                VALID.replace("event: Signed Up", "[Signed Up]"),
                VALID + "name: [a, b]\n",
                VALID.replace("  - channel: email\n    template: welcome", "  - email"),
                VALID + "holdout: {a: 1}\n",
                VALID.replace("once_per: user", "quiet_hours: maybe"))) {
            for (Violation problem : reader.read("broken.yaml", broken).problems()) {
                assertFalse(
                        problem.message().matches("(?s).*(dev\\.kizuna|java\\.|JsonToken|\\$|deserialize|Creator).*"),
                        problem.message());
                assertNotNull(problem.line(), problem.message());
            }
        }
    }

    @Test
    void aConditionThatDoesNotCompileIsReportedOnItsLine() {
        Violation problem = onlyProblem(
                reader.read("bad.yaml", VALID.replace("account.traits.plan == 'trial'", "account.traits.plan ==")));
        assertEquals(4, problem.line());
        assertTrue(problem.message().startsWith("condition does not compile"), problem.message());
    }

    @Test
    void aConditionThatReachesForAJavaClassIsRefusedOnItsLineNamingTheName() {
        Violation problem = onlyProblem(
                reader.read("sneaky.yaml", VALID.replace("account.traits.plan == 'trial'", "account.class != null")));
        assertEquals("sneaky.yaml", problem.file());
        assertEquals(4, problem.line());
        assertTrue(problem.message().contains("'account.class'"), problem.message());
    }

    @Test
    void aTemplateThatDoesNotExistIsReportedOnItsLine() {
        Violation problem =
                onlyProblem(reader.read("missing.yaml", VALID.replace("template: welcome", "template: welcom")));
        assertEquals(7, problem.line());
        assertTrue(problem.message().contains("'welcom' has no email template"), problem.message());
    }

    @Test
    void aRuleNeedsATriggerAndActions() {
        RuleFileReader.Outcome outcome = reader.read("empty-ish.yaml", "name: nothing\n");
        assertNull(outcome.rule());
        assertEquals(2, outcome.problems().size());
    }

    @Test
    void anUnknownChannelIsRejected() {
        Violation problem = onlyProblem(reader.read("sms.yaml", VALID.replace("channel: email", "channel: sms")));
        assertEquals("sms.yaml", problem.file());
        assertEquals(6, problem.line());
    }

    private static Violation onlyProblem(RuleFileReader.Outcome outcome) {
        assertNull(outcome.rule());
        assertEquals(1, outcome.problems().size(), outcome.problems().toString());
        return outcome.problems().get(0);
    }
}
