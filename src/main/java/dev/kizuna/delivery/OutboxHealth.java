package dev.kizuna.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * How far sending is behind, in /q/health/ready: the emails and posts due and how long the oldest
 * has waited, against kizuna.delivery.backlog-warning. Past it the instance is degraded but stays
 * ready: the outbox is shared, and taking instances out of rotation would not send it faster.
 */
@Readiness
@ApplicationScoped
public class OutboxHealth implements HealthCheck {

    private final Outbox outbox;
    private final DeliveryConfig config;
    private final Clock clock;

    OutboxHealth(Outbox outbox, DeliveryConfig config, Clock clock) {
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        Instant now = clock.instant();
        Outbox.Backlog backlog = outbox.backlog(now);
        Duration waited = backlog.oldestDue() == null ? Duration.ZERO : Duration.between(backlog.oldestDue(), now);
        return HealthCheckResponse.named("outbox")
                .up()
                .withData("state", waited.compareTo(config.backlogWarning()) > 0 ? "degraded" : "ok")
                .withData("due", backlog.due())
                .withData("oldestDueSeconds", Math.max(0, waited.toSeconds()))
                .withData("warningSeconds", config.backlogWarning().toSeconds())
                .build();
    }
}
