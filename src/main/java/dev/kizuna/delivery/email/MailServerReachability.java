package dev.kizuna.delivery.email;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Whether the mail server takes connections: checked every kizuna.smtp.health-interval by
 * connecting (and signing in) on a connection of its own, and remembered, so that a health probe
 * never waits on SMTP. A change either way is logged once.
 */
@ApplicationScoped
public class MailServerReachability {

    private static final Logger LOG = Logger.getLogger(MailServerReachability.class);

    private final Mailer mailer;
    private final Clock clock;
    private volatile Checked last;

    /** The last check: when, and why the server could not be reached (null when it could). */
    public record Checked(Instant at, String failure) {}

    MailServerReachability(Mailer mailer, Clock clock) {
        this.mailer = mailer;
        this.clock = clock;
    }

    /** Checks now; scheduled, and called by tests. */
    @Scheduled(
            identity = "mail-server-reachability",
            every = "{kizuna.smtp.health-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void check() {
        Checked previous = last;
        String failure = null;
        try {
            mailer.checkReachable();
        } catch (DeliveryFailure e) {
            failure = e.getMessage();
        }
        last = new Checked(clock.instant(), failure);
        if (failure != null && (previous == null || previous.failure() == null)) {
            LOG.warnf("mail server %s cannot be reached: %s", mailer.destination(), failure);
        } else if (failure == null && previous != null && previous.failure() != null) {
            LOG.infof("mail server %s can be reached again", mailer.destination());
        }
    }

    /** The last check; null before the first. */
    public Checked last() {
        return last;
    }

    public String destination() {
        return mailer.destination();
    }
}
