package dev.kizuna.delivery.inapp;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
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

    private final Map<String, Set<Stream>> byUser = new ConcurrentHashMap<>();

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
