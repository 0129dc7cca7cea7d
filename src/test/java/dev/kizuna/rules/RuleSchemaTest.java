package dev.kizuna.rules;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.kizuna.messages.EngagementEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** rules/rule.schema.json is what editors validate against: it must accept every sample rule and catch mistakes. */
class RuleSchemaTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(Path.of("rules/rule.schema.json").toUri());

    @Test
    void everySampleRuleValidates() throws IOException {
        List<Path> rules;
        try (Stream<Path> files = Files.list(Path.of("rules"))) {
            rules = files.filter(path -> path.toString().endsWith(".yaml"))
                    .filter(path -> !Set.of("segments.yaml", "activation.yaml", "health.yaml")
                            .contains(path.getFileName().toString()))
                    .toList();
        }
        assertTrue(rules.size() >= 8, "the samples cover every trigger kind");
        for (Path rule : rules) {
            Set<ValidationMessage> errors = SCHEMA.validate(YAML.readTree(rule.toFile()));
            assertTrue(errors.isEmpty(), rule + ": " + errors);
        }
    }

    @Test
    void mistakesAreCaught() throws IOException {
        assertFalse(
                SCHEMA.validate(yaml("trigger: {event: X}\nactions: [{channel: sms, template: t}]\n"))
                        .isEmpty(),
                "unknown channel");
        assertFalse(
                SCHEMA.validate(
                                yaml(
                                        "trigger: {event: X, schedule: {cron: '0 0 9 * * ?'}}\nactions: [{channel: email, template: t}]\n"))
                        .isEmpty(),
                "two triggers");
        assertFalse(
                SCHEMA.validate(
                                yaml(
                                        "trigger: {after: {event: X, delay: 3 days}}\nactions: [{channel: email, template: t}]\n"))
                        .isEmpty(),
                "a duration must be like 3d");
        assertFalse(
                SCHEMA.validate(yaml("trigger: {event: X}\nactions: [{channel: email, template: t}]\nlimitz: {}\n"))
                        .isEmpty(),
                "unknown key");
        assertFalse(
                SCHEMA.validate(yaml(
                                "trigger: {event: kizuna.email.click}\nactions: [{channel: email, template: t}]\n"))
                        .isEmpty(),
                "kizuna. names only for the events Kizuna records");
        assertFalse(
                SCHEMA.validate(yaml("trigger: {event: X}\nactions: [{channel: webhook, template: t}]\n"))
                        .isEmpty(),
                "a webhook names its target");
        assertFalse(
                SCHEMA.validate(yaml("trigger: {event: X}\nactions: [{channel: email, template: t, target: crm}]\n"))
                        .isEmpty(),
                "an email goes to its recipient, not to a target");
        assertTrue(
                SCHEMA.validate(yaml(
                                "trigger: {event: X}\nactions: [{channel: slack, template: t, target: csm-alerts}]\n"))
                        .isEmpty(),
                "a Slack action with its target");
        for (EngagementEvent event : EngagementEvent.values()) {
            assertTrue(
                    SCHEMA.validate(yaml("trigger: {event: " + event.eventName()
                                    + "}\nactions: [{channel: email, template: t}]\n"))
                            .isEmpty(),
                    "the schema knows every event Kizuna records: " + event.eventName());
        }
    }

    private static JsonNode yaml(String text) throws IOException {
        return YAML.readTree(text);
    }
}
