package dev.kizuna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.common.RulesConfig;
import dev.kizuna.decisions.DecisionPolicyConfig;
import dev.kizuna.delivery.DeliveryConfig;
import dev.kizuna.delivery.WebhookTargets;
import dev.kizuna.delivery.email.MailConfig;
import dev.kizuna.delivery.email.SmtpConfig;
import dev.kizuna.delivery.inapp.NudgesConfig;
import dev.kizuna.ingest.IngestConfig;
import dev.kizuna.ingest.WebhooksConfig;
import dev.kizuna.reports.ReportsConfig;
import dev.kizuna.security.AccessConfig;
import dev.kizuna.security.SecurityConfig;
import dev.kizuna.templates.ComplianceConfig;
import dev.kizuna.templates.TemplatesConfig;
import dev.kizuna.tracking.LinksConfig;
import dev.kizuna.ui.UiConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.hibernate.validator.HibernateValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A value Kizuna cannot work with stops the start with its key, its value and what is allowed:
 * the constraints on the configuration mappings, checked the way Quarkus checks them when it
 * builds the configuration (Hibernate Validator behind SmallRye Config), all bad keys at once.
 */
class ConfigurationCheckTest {

    /** Every configuration mapping of kizuna.* keys; a new mapping belongs here. */
    private static final List<Class<?>> MAPPINGS = List.of(
            DeliveryConfig.class,
            SmtpConfig.class,
            MailConfig.class,
            NudgesConfig.class,
            RulesConfig.class,
            ReportsConfig.class,
            UiConfig.class,
            IngestConfig.class,
            WebhooksConfig.class,
            LinksConfig.class,
            DecisionPolicyConfig.class,
            AccessConfig.class,
            TemplatesConfig.class,
            WebhookTargets.class,
            ComplianceConfig.class,
            SecurityConfig.class);

    /** What a production instance must set; everything else keeps its default. */
    private static final Map<String, String> REQUIRED = Map.of(
            "kizuna.links.base-url", "https://kizuna.example.com",
            "kizuna.links.secret", "a-production-secret-of-at-least-32-chars");

    private static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class)
            .configure()
            .buildValidatorFactory()
            .getValidator();

    @Test
    void theDefaultsPass() {
        assertEquals(List.of(), problems(Map.of()));
    }

    @Test
    void zeroSendersIsRefusedWithTheKeyTheValueAndWhy() {
        assertEquals(
                List.of(
                        "kizuna.delivery.senders is 0: must be at least 1 (it is the number of emails an instance sends at once)"),
                problems(Map.of("kizuna.delivery.senders", "0")));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            kizuna.delivery.poll-interval         | -5s             | -5s              | must be off or a duration longer than 0
            kizuna.delivery.poll-interval         | soon            | soon             | must be off or a duration
            kizuna.delivery.max-attempts          | 0               | 0                | must be at least 1
            kizuna.delivery.retry-backoff         | 0s              | PT0S             | must be a duration longer than 0
            kizuna.delivery.send-rate             | -1              | -1.0             | must be 0 or more
            kizuna.delivery.send-rate             | Infinity        | Infinity         | must be a finite number
            kizuna.delivery.claim-timeout         | -1m             | PT-1M            | must be a duration longer than 0
            kizuna.delivery.backlog-warning       | 0s              | PT0S             | must be a duration longer than 0
            kizuna.smtp.port                      | 70000           | 70000            | must be from 1 to 65535
            kizuna.smtp.port                      | 0               | 0                | must be from 1 to 65535
            kizuna.smtp.timeout                   | 0s              | PT0S             | must be a duration longer than 0
            kizuna.smtp.health-interval           | 0s              | 0s               | must be off or a duration longer than 0
            kizuna.mail.from                      | Team <team@>    | Team <team@>     | must be an email address
            kizuna.nudges.stream-check-interval   | 0s              | PT0S             | must be a duration longer than 0
            kizuna.rules.timer-poll               | 0s              | 0s               | must be off or a duration longer than 0
            kizuna.rules.timer-claim              | 0s              | PT0S             | must be a duration longer than 0
            kizuna.webhooks.send-timeout          | 0s              | PT0S             | must be a duration longer than 0
            kizuna.webhooks.targets.crm.url       | crm.example     | crm.example      | must be the http or https address the target receives
            kizuna.reports.attribution-interval   | every hour      | every hour       | must be off or a duration
            kizuna.reports.attribution-page-size  | 0               | 0                | must be at least 1
            kizuna.reports.gross-margin           | 0               | 0.0              | must be a share above 0 and at most 1
            kizuna.reports.gross-margin           | 1.5             | 1.5              | must be a share above 0 and at most 1
            kizuna.templates.max-output           | 0               | 0                | must be at least 1
            kizuna.templates.render-timeout       | 0s              | PT0S             | must be a duration longer than 0
            kizuna.ui.session-ttl                 | 0s              | PT0S             | must be a duration longer than 0
            kizuna.ingest.dedupe-window           | 1d              | PT24H            | must be at least 7d
            kizuna.ingest.event-retention         | 0d              | PT0S             | must be a duration longer than 0
            kizuna.ingest.processor.batch-size    | 0               | 0                | must be at least 1
            kizuna.ingest.processor.lease         | 0s              | PT0S             | must be a duration longer than 0
            kizuna.webhooks.tolerance             | -5m             | PT-5M            | must be a duration longer than 0
            kizuna.links.base-url                 | kizuna.example  | kizuna.example   | must be the http or https address
            kizuna.links.tracking-ttl             | 0d              | PT0S             | must be a duration longer than 0
            kizuna.links.unsubscribe-ttl          | 0d              | PT0S             | must be a duration longer than 0
            kizuna.decisions.email-per-day        | -1              | -1               | must be at least 0
            kizuna.decisions.inapp-per-week       | -1              | -1               | must be at least 0
            kizuna.decisions.account-email-per-day | -1             | -1               | must be at least 0
            kizuna.security.write-rate-limit      | -1              | -1.0             | must be 0 or more
            kizuna.security.api-rate-limit        | -0.5            | -0.5             | must be 0 or more
            kizuna.security.burst-seconds         | 0               | 0.0              | must be more than 0
            kizuna.security.key-cache             | -1s             | PT-1S            | must be 0 or more
            kizuna.compliance.consent-retention   | P14D            | P14D             | must be at least one month (P1M)
            kizuna.compliance.consent-retention   | P-1M            | P-1M             | must be at least one month (P1M)
            """)
    void aValueOutOfItsRangeIsNamedWithWhatIsAllowed(String key, String value, String shown, String allowed) {
        List<String> problems = problems(Map.of(key, value));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(key + " is " + shown + ": "), problems.get(0));
        assertTrue(problems.get(0).contains(allowed), problems.get(0));
    }

    @Test
    void aShortLinkSecretIsRefusedWithoutShowingIt() {
        assertEquals(
                List.of("kizuna.links.secret has 12 characters: it needs at least 32 to sign links safely"),
                problems(Map.of("kizuna.links.secret", "short-secret")));
    }

    @Test
    void aBadSenderAddressSaysWhatIsWrongWithIt() {
        List<String> problems = problems(Map.of("kizuna.mail.from", "Team <team@>"));
        assertEquals(
                List.of("kizuna.mail.from is Team <team@>: must be an email address, optionally with a name, "
                        + "e.g. Acme <team@acme.example> (Missing domain)"),
                problems);
    }

    @Test
    void periodicJobsTakeOffOrAnyPositiveDuration() {
        assertEquals(
                List.of(),
                problems(Map.of(
                        "kizuna.delivery.poll-interval", "off",
                        "kizuna.smtp.health-interval", "disabled",
                        "kizuna.rules.timer-poll", "1d",
                        "kizuna.reports.attribution-interval", "PT10M")));
    }

    @Test
    void anSmtpUserWithoutAPasswordIsRefusedNamingBothKeysAndShowingNeither() {
        List<String> problems = problems(Map.of("kizuna.smtp.user", "mailer"));
        assertEquals(
                List.of("kizuna.smtp has a user but no password: kizuna.smtp.user and kizuna.smtp.password go together "
                        + "(both to authenticate to the mail server, neither to send without authentication)"),
                problems);
    }

    @Test
    void anSmtpPasswordWithoutAUserIsRefusedWithoutShowingIt() {
        List<String> problems = problems(Map.of("kizuna.smtp.password", "s3cret-pass"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("kizuna.smtp has a password but no user: "), problems.get(0));
        assertFalse(problems.get(0).contains("s3cret-pass"), problems.get(0));
    }

    @Test
    void anSmtpUserWithItsPasswordPasses() {
        assertEquals(List.of(), problems(Map.of("kizuna.smtp.user", "mailer", "kizuna.smtp.password", "s3cret-pass")));
    }

    @Test
    void everyBadValueIsListedAtOnce() {
        List<String> problems = problems(Map.of(
                "kizuna.delivery.senders", "0",
                "kizuna.smtp.port", "0",
                "kizuna.decisions.email-per-week", "-2"));
        assertEquals(3, problems.size(), problems.toString());
        assertFalse(problems.stream().anyMatch(problem -> !problem.startsWith("kizuna.")), problems.toString());
    }

    @Test
    void applicationPropertiesStatesNoDefaultOfAMappingAgain() throws IOException {
        Properties application = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            application.load(reader);
        }
        SmallRyeConfig defaults = config(REQUIRED);
        List<String> restated = application.stringPropertyNames().stream()
                .filter(key -> key.startsWith("kizuna."))
                .filter(key -> defaults.getConfigValue(key).getValue() != null)
                .sorted()
                .toList();
        assertEquals(List.of(), restated, "keys whose default belongs to their mapping alone");
    }

    /** Each problem that stops the start, one line each: "key is value: what is allowed". Empty when all is well. */
    private static List<String> problems(Map<String, String> values) {
        Map<String, String> properties = new HashMap<>(REQUIRED);
        properties.putAll(values);
        try {
            config(properties);
            return List.of();
        } catch (ConfigValidationException e) {
            return IntStream.range(0, e.getProblemCount())
                    .mapToObj(i -> e.getProblem(i).getMessage())
                    .toList();
        }
    }

    /** The mappings over these values and their own defaults, validated as Quarkus validates them. */
    private static SmallRyeConfig config(Map<String, String> values) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Path.class, 200, new PathConverter())
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR);
        MAPPINGS.forEach(builder::withMapping);
        return builder.build();
    }
}
