package dev.kizuna.delivery.inapp;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Live delivery of nudges: a user's pending nudges when a client connects, then each new one.
 * Nudges decided on this instance arrive as soon as they commit; every stream-check interval the
 * database is asked for the streams' users' pending nudges, so that those decided on another
 * instance sharing the database arrive too.
 */
@Startup
@ApplicationScoped
public class NudgeStreams {

    private static final Logger LOG = Logger.getLogger(NudgeStreams.class);

    /** Users per database check query, to keep the IN list of bounded size. */
    private static final int USERS_PER_CHECK = 500;

    private final NudgeInbox inbox;
    private final OpenStreams streams;
    private final NudgesConfig config;
    private ScheduledExecutorService checker;

    NudgeStreams(NudgeInbox inbox, OpenStreams streams, NudgesConfig config) {
        this.inbox = inbox;
        this.streams = streams;
        this.config = config;
    }

    @PostConstruct
    void start() {
        Duration interval = config.streamCheckInterval();
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("kizuna.nudges.stream-check-interval must be positive, was " + interval);
        }
        checker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "kizuna-nudge-stream-check");
            thread.setDaemon(true);
            return thread;
        });
        checker.scheduleWithFixedDelay(
                this::checkDatabase, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        checker.shutdownNow();
    }

    /**
     * The user's pending nudges now, then each new one, until the subscriber cancels. Reads the
     * database, so it is called on a worker thread.
     */
    public Multi<NudgeView> follow(String userId) {
        // Opened before reading the pending ones: a nudge committed in between is then published to it.
        OpenStreams.Stream stream = streams.open(userId);
        try {
            stream.send(inbox.pending(userId));
        } catch (RuntimeException e) {
            streams.close(stream);
            throw e;
        }
        return stream.nudges().onTermination().invoke(() -> streams.close(stream));
    }

    /**
     * Sends each open stream the pending nudges it has not sent. Not "ids above the last one
     * sent": ids are taken before commit, so transactions can commit out of id order.
     */
    void checkDatabase() {
        List<String> users = new ArrayList<>(streams.users());
        for (int from = 0; from < users.size(); from += USERS_PER_CHECK) {
            List<String> some = users.subList(from, Math.min(users.size(), from + USERS_PER_CHECK));
            try {
                inbox.pendingOf(some).forEach(streams::publish);
            } catch (RuntimeException e) {
                // The next check tries again; a database outage must not end the checks.
                LOG.warnf("checking the database for nudges of open streams failed: %s", e.getMessage());
                return;
            }
        }
    }
}
