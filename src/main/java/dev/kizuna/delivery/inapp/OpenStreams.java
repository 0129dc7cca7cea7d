package dev.kizuna.delivery.inapp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nudge streams open on this instance, by user. A nudge can reach a stream three ways (the
 * pending ones on connect, a commit on this instance, the periodic database check); each stream
 * remembers what it sent, so that it sends every nudge once.
 */
@ApplicationScoped
class OpenStreams {

    /** kizuna_nudges_streamed_total: nudges sent down open streams (a nudge sent to two tabs counts twice). */
    private static final Counter STREAMED = Counter.builder("kizuna.nudges.streamed")
            .description("nudges sent to clients over open streams")
            .register(Metrics.globalRegistry);

    private final Map<String, Set<Stream>> byUser = new ConcurrentHashMap<>();

    @PostConstruct
    void registerGauge() {
        Gauge.builder(
                        "kizuna.nudges.streams.open",
                        this,
                        streams -> streams.byUser.values().stream()
                                .mapToInt(Set::size)
                                .sum())
                .description("nudge streams open on this instance")
                .register(Metrics.globalRegistry);
    }

    /** One client's stream of one user's nudges. */
    static final class Stream {

        private final String userId;
        private final UnicastProcessor<NudgeView> nudges = UnicastProcessor.create();
        private final Set<Long> sent = new HashSet<>();

        private Stream(String userId) {
            this.userId = userId;
        }

        String userId() {
            return userId;
        }

        /** Sends those of these nudges this stream has not sent yet, in the order given. */
        synchronized void send(List<NudgeView> views) {
            for (NudgeView view : views) {
                if (sent.add(view.id())) {
                    nudges.onNext(view);
                    STREAMED.increment();
                }
            }
        }

        /** Buffers until the client subscribes: nothing published in between is lost. */
        Multi<NudgeView> nudges() {
            return nudges;
        }
    }

    Stream open(String userId) {
        Stream stream = new Stream(userId);
        byUser.compute(userId, (user, streams) -> {
            Set<Stream> open = streams == null ? ConcurrentHashMap.newKeySet() : streams;
            open.add(stream);
            return open;
        });
        return stream;
    }

    void close(Stream stream) {
        byUser.computeIfPresent(stream.userId(), (user, streams) -> {
            streams.remove(stream);
            return streams.isEmpty() ? null : streams;
        });
    }

    /** Offers nudges of one user to each of that user's open streams. */
    void publish(String userId, List<NudgeView> views) {
        Set<Stream> streams = byUser.get(userId);
        if (streams != null) {
            streams.forEach(stream -> stream.send(views));
        }
    }

    /** The users with at least one open stream. */
    Collection<String> users() {
        return List.copyOf(byUser.keySet());
    }

    int count(String userId) {
        Set<Stream> streams = byUser.get(userId);
        return streams == null ? 0 : streams.size();
    }
}
