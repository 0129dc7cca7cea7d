package dev.kizuna.rules;

import dev.kizuna.messages.Channel;
import dev.kizuna.problem.Problem.Violation;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleFileReaderTest {

    private static final Set<String> TEMPLATES = Set.of("welcome");
    private final RuleFileReader reader = new RuleFileReader((id, channel) -> TEMPLATES.contains(id) && channel == Channel.EMAIL);

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
        assertNotEquals(outcome.rule().version(), reader.read("welcome.yaml", VALID + "\n# edited\n").rule().version());
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
    void aConditionThatDoesNotCompileIsReportedOnItsLine() {
        Violation problem = onlyProblem(reader.read("bad.yaml", VALID.replace("account.traits.plan == 'trial'", "account.traits.plan ==")));
        assertEquals(4, problem.line());
        assertTrue(problem.message().startsWith("condition does not compile"), problem.message());
    }

    @Test
    void aTemplateThatDoesNotExistIsReportedOnItsLine() {
        Violation problem = onlyProblem(reader.read("missing.yaml", VALID.replace("template: welcome", "template: welcom")));
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
