package dev.kizuna;

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
import dev.kizuna.templates.TemplatesConfig;
import dev.kizuna.tracking.LinksConfig;
import dev.kizuna.ui.UiConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Refuses to start with a configuration value Kizuna cannot work with, naming each such key, its
 * value and what is allowed, rather than failing later with a bare exception inside a component
 * (a pool of 0 senders, a negative interval). Values that do not even convert (a port of "abc")
 * are refused earlier by the configuration itself, also with their key.
 */
@ApplicationScoped
public class ConfigurationCheck {

    /** The configuration mappings this check reads; a new mapping with ranges belongs here. */
    static final List<Class<?>> MAPPINGS = List.of(DeliveryConfig.class, SmtpConfig.class, MailConfig.class, NudgesConfig.class,
            RulesConfig.class, ReportsConfig.class, UiConfig.class, IngestConfig.class, WebhooksConfig.class, LinksConfig.class,
            DecisionPolicyConfig.class, AccessConfig.class, TemplatesConfig.class, WebhookTargets.class);

    // Before any other start-up work, which may already use the values.
    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent startup) {
        List<String> problems = problems(ConfigProvider.getConfig().unwrap(SmallRyeConfig.class));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Kizuna cannot start with this configuration:\n  " + String.join("\n  ", problems));
        }
    }

    /** Every value out of its range, one line each: "key=value: what is allowed". Empty when all is well. */
    static List<String> problems(SmallRyeConfig config) {
        Ranges ranges = new Ranges();

        DeliveryConfig delivery = config.getConfigMapping(DeliveryConfig.class);
        ranges.interval("kizuna.delivery.poll-interval", delivery.pollInterval());
        ranges.atLeast("kizuna.delivery.max-attempts", delivery.maxAttempts(), 1, "an email is attempted at least once");
        ranges.positive("kizuna.delivery.retry-backoff", delivery.retryBackoff());
        ranges.notNegative("kizuna.delivery.send-rate", delivery.sendRate(), "emails per second; 0 for no limit");
        ranges.atLeast("kizuna.delivery.senders", delivery.senders(), 1, "it is the number of emails an instance sends at once");
        ranges.positive("kizuna.delivery.claim-timeout", delivery.claimTimeout());

        SmtpConfig smtp = config.getConfigMapping(SmtpConfig.class);
        ranges.between("kizuna.smtp.port", smtp.port(), 1, 65535, "a TCP port");
        ranges.positive("kizuna.smtp.timeout", smtp.timeout());
        ranges.address("kizuna.mail.from", config.getConfigMapping(MailConfig.class).from());
        ranges.positive("kizuna.nudges.stream-check-interval", config.getConfigMapping(NudgesConfig.class).streamCheckInterval());
        ranges.interval("kizuna.rules.timer-poll", config.getConfigMapping(RulesConfig.class).timerPoll());
        ranges.positive("kizuna.rules.timer-claim", config.getConfigMapping(RulesConfig.class).timerClaim());

        ReportsConfig reports = config.getConfigMapping(ReportsConfig.class);
        ranges.interval("kizuna.reports.attribution-interval", reports.attributionInterval());
        ranges.atLeast("kizuna.reports.attribution-page-size", reports.attributionPageSize(), 1, "messages per transaction");
        if (!(reports.grossMargin() > 0 && reports.grossMargin() <= 1)) {
            ranges.problem("kizuna.reports.gross-margin=" + reports.grossMargin()
                    + ": must be a share above 0 and at most 1 (0.8 keeps 80% of revenue after the cost of serving it)");
        }

        TemplatesConfig templates = config.getConfigMapping(TemplatesConfig.class);
        ranges.atLeast("kizuna.templates.max-output", templates.maxOutput(), 1, "characters one template file may render");
        ranges.positive("kizuna.templates.render-timeout", templates.renderTimeout());

        ranges.positive("kizuna.ui.session-ttl", config.getConfigMapping(UiConfig.class).sessionTtl());

        IngestConfig ingest = config.getConfigMapping(IngestConfig.class);
        ranges.atLeast("kizuna.ingest.dedupe-window", ingest.dedupeWindow(), Duration.ofDays(7),
                "Segment libraries retry a call for up to a week, and a retry must find its messageId");
        ranges.positive("kizuna.ingest.event-retention", ingest.eventRetention());
        ranges.positive("kizuna.ingest.max-lag", ingest.maxLag());
        ranges.positive("kizuna.ingest.wait-timeout", ingest.waitTimeout());
        ranges.atLeast("kizuna.ingest.processor.batch-size", ingest.processor().batchSize(), 1, "calls applied in one transaction");
        ranges.positive("kizuna.ingest.processor.lease", ingest.processor().lease());
        ranges.positive("kizuna.ingest.processor.poll-interval", ingest.processor().pollInterval());
        ranges.positive("kizuna.webhooks.tolerance", config.getConfigMapping(WebhooksConfig.class).tolerance());
        WebhookTargets targets = config.getConfigMapping(WebhookTargets.class);
        ranges.positive("kizuna.webhooks.send-timeout", targets.sendTimeout());
        targets.targets().forEach((name, target) -> ranges.httpUrl("kizuna.webhooks.targets." + name + ".url", target.url(),
                "the http or https address the target receives posts at, e.g. https://crm.example/hooks/kizuna"));

        LinksConfig links = config.getConfigMapping(LinksConfig.class);
        ranges.httpUrl("kizuna.links.base-url", links.baseUrl(),
                "the http or https address recipients reach Kizuna at, e.g. https://kizuna.example.com");
        if (links.secret().length() < 32) {
            // The secret itself stays out of the message.
            ranges.problem("kizuna.links.secret has " + links.secret().length() + " characters: it needs at least 32 to sign links safely");
        }
        ranges.positive("kizuna.links.tracking-ttl", links.trackingTtl());
        ranges.positive("kizuna.links.unsubscribe-ttl", links.unsubscribeTtl());

        DecisionPolicyConfig decisions = config.getConfigMapping(DecisionPolicyConfig.class);
        ranges.atLeast("kizuna.decisions.email-per-day", decisions.emailPerDay(), 0, "a frequency cap; 0 sends no email");
        ranges.atLeast("kizuna.decisions.email-per-week", decisions.emailPerWeek(), 0, "a frequency cap; 0 sends no email");
        ranges.atLeast("kizuna.decisions.inapp-per-day", decisions.inappPerDay(), 0, "a frequency cap; 0 shows no nudge");
        ranges.atLeast("kizuna.decisions.inapp-per-week", decisions.inappPerWeek(), 0, "a frequency cap; 0 shows no nudge");
        decisions.accountEmailPerDay().ifPresent(cap -> ranges.atLeast("kizuna.decisions.account-email-per-day", cap, 0,
                "a frequency cap per account; leave it unset for none"));
        decisions.accountEmailPerWeek().ifPresent(cap -> ranges.atLeast("kizuna.decisions.account-email-per-week", cap, 0,
                "a frequency cap per account; leave it unset for none"));
        decisions.accountInappPerDay().ifPresent(cap -> ranges.atLeast("kizuna.decisions.account-inapp-per-day", cap, 0,
                "a frequency cap per account; leave it unset for none"));
        decisions.accountInappPerWeek().ifPresent(cap -> ranges.atLeast("kizuna.decisions.account-inapp-per-week", cap, 0,
                "a frequency cap per account; leave it unset for none"));

        AccessConfig access = config.getConfigMapping(AccessConfig.class);
        ranges.notNegative("kizuna.security.write-rate-limit", access.writeRateLimit(), "calls per second; 0 for no limit");
        ranges.notNegative("kizuna.security.api-rate-limit", access.apiRateLimit(), "calls per second; 0 for no limit");
        ranges.positive("kizuna.security.burst-seconds", access.burstSeconds(), "seconds' worth of calls a key may make at once");
        if (access.keyCache().isNegative()) {
            ranges.problem("kizuna.security.key-cache=" + access.keyCache() + ": must be 0 or more");
        }
        return ranges.problems;
    }

    /** Collects the values out of range, each with its key, its value and what is allowed. */
    private static final class Ranges {

        private final List<String> problems = new ArrayList<>();

        void problem(String problem) {
            problems.add(problem);
        }

        void atLeast(String key, int value, int minimum, String why) {
            if (value < minimum) {
                problems.add(key + "=" + value + ": must be at least " + minimum + " (" + why + ")");
            }
        }

        void between(String key, int value, int minimum, int maximum, String why) {
            if (value < minimum || value > maximum) {
                problems.add(key + "=" + value + ": must be from " + minimum + " to " + maximum + " (" + why + ")");
            }
        }

        void notNegative(String key, double value, String why) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                problems.add(key + "=" + value + ": must be 0 or more (" + why + ")");
            }
        }

        void positive(String key, double value, String why) {
            if (!(value > 0) || Double.isInfinite(value)) {
                problems.add(key + "=" + value + ": must be more than 0 (" + why + ")");
            }
        }

        void positive(String key, Duration value) {
            if (value.isNegative() || value.isZero()) {
                problems.add(key + "=" + value + ": must be a duration longer than 0, e.g. 30s, 5m, 8h or 7d");
            }
        }

        void atLeast(String key, Duration value, Duration minimum, String why) {
            if (value.compareTo(minimum) < 0) {
                problems.add(key + "=" + value + ": must be at least " + minimum.toDays() + "d (" + why + ")");
            }
        }

        /** An interval of a periodic job: "off", or a duration longer than 0 as the scheduler reads it. */
        void interval(String key, String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            if (text.equals("off") || text.equals("disabled")) {
                return;
            }
            if (!isPositiveInterval(text)) {
                problems.add(key + "=" + value + ": must be off or a duration longer than 0, such as 30s, 5m or 1h");
            }
        }

        /** As the scheduler reads it: 30s, 5m, 1h, 1d, or an ISO-8601 duration (PT30S). */
        private static boolean isPositiveInterval(String text) {
            try {
                Duration interval = Duration.parse(Character.isDigit(text.charAt(0)) ? (text.endsWith("d") ? "P" : "PT") + text : text);
                return !interval.isNegative() && !interval.isZero();
            } catch (DateTimeParseException | IndexOutOfBoundsException e) {
                return false;
            }
        }

        void address(String key, String value) {
            try {
                new InternetAddress(value, true);
            } catch (AddressException e) {
                problems.add(key + "=" + value + ": must be an email address, optionally with a name, e.g. Acme <team@acme.example> ("
                        + e.getMessage() + ")");
            }
        }

        void httpUrl(String key, String value, String what) {
            try {
                URI uri = new URI(value);
                if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null) {
                    return;
                }
            } catch (java.net.URISyntaxException e) {
                // Reported below like any other value that is not an http(s) address.
            }
            problems.add(key + "=" + value + ": must be " + what);
        }
    }
}
