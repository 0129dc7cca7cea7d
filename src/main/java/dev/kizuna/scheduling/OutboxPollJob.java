package dev.kizuna.scheduling;

import dev.kizuna.delivery.EmailSender;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends due email periodically: retries whose backoff has passed, and anything a wake-up missed. */
@ApplicationScoped
public class OutboxPollJob {

    private final EmailSender sender;

    OutboxPollJob(EmailSender sender) {
        this.sender = sender;
    }

    // The interval and its one default are those of DeliveryConfig#pollInterval, validated there at start-up.
    @Scheduled(
            identity = "outbox-poll",
            every = "{kizuna.delivery.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        sender.drain();
    }
}
