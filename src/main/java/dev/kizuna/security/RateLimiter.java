package dev.kizuna.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A token bucket per API key and instance: a key may make {@code rate} calls a second on
 * average and {@code burst} at once. Past that the caller is told how long to wait.
 */
@ApplicationScoped
public class RateLimiter {

    private final AccessConfig config;
    private final ConcurrentMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(AccessConfig config) {
        this.config = config;
    }

    /** 0 if the call may go ahead, else the seconds to wait before the next one would. */
    long secondsToWait(ApiKeys.Authenticated key) {
        double rate = key.role() == Role.WRITE ? config.writeRateLimit() : config.apiRateLimit();
        if (rate <= 0) {
            return 0;
        }
        Bucket bucket = buckets.computeIfAbsent(key.id(), id -> new Bucket(rate * config.burstSeconds()));
        return bucket.take(rate, rate * config.burstSeconds());
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt = System.nanoTime();

        Bucket(double capacity) {
            this.tokens = capacity;
        }

        synchronized long take(double rate, double capacity) {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - refilledAt) / 1e9 * rate);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / rate);
        }
    }
}
