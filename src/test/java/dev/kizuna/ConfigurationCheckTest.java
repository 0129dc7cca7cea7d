package dev.kizuna;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A value Kizuna cannot work with stops the start with its key, its value and what is allowed;
 * checked on the configuration as SmallRye builds it, since an application with it cannot start.
 */
class ConfigurationCheckTest {

    /** What a production instance must set; everything else keeps its default. */
    private static final Map<String, String> REQUIRED = Map.of(
            "kizuna.links.base-url", "https://kizuna.example.com",
            "kizuna.links.secret", "a-production-secret-of-at-least-32-chars");

    @Test
    void theDefaultsPass() {
        assertEquals(List.of(), ConfigurationCheck.problems(configWith(Map.of())));
    }

    @Test
    void zeroSendersIsRefusedWithTheKeyTheValueAndWhy() {
        List<String> problems = ConfigurationCheck.problems(configWith(Map.of("kizuna.delivery.senders", "0")));
        assertEquals(List.of("kizuna.delivery.senders=0: must be at least 1 (it is the number of emails an instance sends at once)"),
                problems);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            kizuna.delivery.poll-interval         | -5s             | must be off or a duration longer than 0
            kizuna.delivery.poll-interval         | soon            | must be off or a duration
            kizuna.delivery.max-attempts          | 0               | must be at least 1
            kizuna.delivery.retry-backoff         | 0s              | must be a duration longer than 0
            kizuna.delivery.send-rate             | -1              | must be 0 or more
            kizuna.delivery.claim-timeout         | -1m             | must be a duration longer than 0
            kizuna.smtp.port                      | 70000           | must be from 1 to 65535
            kizuna.smtp.port                      | 0               | must be from 1 to 65535
            kizuna.smtp.timeout                   | 0s              | must be a duration longer than 0
            kizuna.mail.from                      | Team <team@>    | must be an email address
            kizuna.nudges.stream-check-interval   | 0s              | must be a duration longer than 0
            kizuna.rules.timer-poll               | 0s              | must be off or a duration longer than 0
            kizuna.rules.timer-claim              | 0s              | must be a duration longer than 0
            kizuna.webhooks.send-timeout          | 0s              | must be a duration longer than 0
            kizuna.webhooks.targets.crm.url       | crm.example     | must be the http or https address the target receives posts at
            kizuna.reports.attribution-interval   | every hour      | must be off or a duration
            kizuna.reports.attribution-page-size  | 0               | must be at least 1
            kizuna.templates.max-output           | 0               | must be at least 1
            kizuna.templates.render-timeout       | 0s              | must be a duration longer than 0
            kizuna.ui.session-ttl                 | 0s              | must be a duration longer than 0
            kizuna.ingest.dedupe-window           | 1d              | must be at least 7d
            kizuna.ingest.event-retention         | 0d              | must be a duration longer than 0
            kizuna.webhooks.tolerance             | -5m             | must be a duration longer than 0
            kizuna.links.base-url                 | kizuna.example  | must be the http or https address
            kizuna.links.tracking-ttl             | 0d              | must be a duration longer than 0
            kizuna.links.unsubscribe-ttl          | 0d              | must be a duration longer than 0
            kizuna.decisions.email-per-day        | -1              | must be at least 0
            kizuna.decisions.inapp-per-week       | -1              | must be at least 0
            kizuna.decisions.account-email-per-day | -1             | must be at least 0
            kizuna.security.write-rate-limit      | -1              | must be 0 or more
            kizuna.security.api-rate-limit        | -0.5            | must be 0 or more
            kizuna.security.burst-seconds         | 0               | must be more than 0
            kizuna.security.key-cache             | -1s             | must be 0 or more
            """)
    void aValueOutOfItsRangeIsNamedWithWhatIsAllowed(String key, String value, String allowed) {
        List<String> problems = ConfigurationCheck.problems(configWith(Map.of(key, value)));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(key + "="), problems.get(0));
        assertTrue(problems.get(0).contains(allowed), problems.get(0));
    }

    @Test
    void aShortLinkSecretIsRefusedWithoutShowingIt() {
        List<String> problems = ConfigurationCheck.problems(configWith(Map.of("kizuna.links.secret", "short-secret")));
        assertEquals(List.of("kizuna.links.secret has 12 characters: it needs at least 32 to sign links safely"), problems);
    }

    @Test
    void periodicJobsTakeOffOrAnyPositiveDuration() {
        assertEquals(List.of(), ConfigurationCheck.problems(configWith(Map.of(
                "kizuna.delivery.poll-interval", "off",
                "kizuna.rules.timer-poll", "1d",
                "kizuna.reports.attribution-interval", "PT10M"))));
    }

    @Test
    void everyBadValueIsListedAtOnce() {
        List<String> problems = ConfigurationCheck.problems(configWith(Map.of(
                "kizuna.delivery.senders", "0",
                "kizuna.smtp.port", "0",
                "kizuna.decisions.email-per-week", "-2")));
        assertEquals(3, problems.size(), problems.toString());
        assertFalse(problems.stream().anyMatch(problem -> !problem.startsWith("kizuna.")), problems.toString());
    }

    private static SmallRyeConfig configWith(Map<String, String> values) {
        Map<String, String> properties = new HashMap<>(REQUIRED);
        properties.putAll(values);
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Path.class, 200, new PathConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500));
        ConfigurationCheck.MAPPINGS.forEach(builder::withMapping);
        return builder.build();
    }
}
