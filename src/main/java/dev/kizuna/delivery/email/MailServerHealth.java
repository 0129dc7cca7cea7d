package dev.kizuna.delivery.email;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether the mail server could be reached at its last check, in /q/health/ready. Unreachable
 * makes the instance degraded, not unready: emails wait in the outbox and are retried, and the
 * API, the UI and nudges work meanwhile.
 */
@Readiness
@ApplicationScoped
public class MailServerHealth implements HealthCheck {

    private final MailServerReachability reachability;

    MailServerHealth(MailServerReachability reachability) {
        this.reachability = reachability;
    }

    @Override
    public HealthCheckResponse call() {
        MailServerReachability.Checked checked = reachability.last();
        var response =
                HealthCheckResponse.named("mail server").up().withData("destination", reachability.destination());
        if (checked == null) {
            return response.withData("state", "ok")
                    .withData("checked", "not yet")
                    .build();
        }
        response.withData("state", checked.failure() == null ? "ok" : "degraded")
                .withData("reachable", checked.failure() == null)
                .withData("checkedAt", checked.at().toString());
        if (checked.failure() != null) {
            response.withData("failure", checked.failure());
        }
        return response.build();
    }
}
