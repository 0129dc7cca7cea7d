package dev.kizuna.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * How far processing is behind acknowledging, in /q/health/ready: degraded past
 * kizuna.ingest.max-lag (when /v1 refuses calls) or while calls are set aside for an operator.
 * The check stays up while processing falls behind: /v1 itself refuses calls past the lag, and
 * an instance taken out of rotation would stop serving nudges and the review UI for nothing.
 */
@Readiness
@ApplicationScoped
public class CallProcessingHealth implements HealthCheck {

    private final CallProcessor processor;
    private final IngestConfig config;

    CallProcessingHealth(CallProcessor processor, IngestConfig config) {
        this.processor = processor;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        PendingCalls.Backlog backlog = processor.backlog();
        boolean behind = backlog.oldest().compareTo(config.maxLag()) > 0;
        return HealthCheckResponse.named("call processing")
                .up()
                .withData("state", behind || backlog.failed() > 0 ? "degraded" : "ok")
                .withData("lagEvents", backlog.calls())
                .withData("lagSeconds", backlog.oldest().toSeconds())
                .withData("maxLagSeconds", config.maxLag().toSeconds())
                .withData("acceptingCalls", !behind)
                .withData("setAsideEvents", backlog.failed())
                .withData("processesHere", processor.processesHere())
                .withData("partitionsHere", processor.partitionsHere())
                .build();
    }
}
