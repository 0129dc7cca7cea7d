package dev.kizuna.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Classifies database failures: a deadlock or serialization conflict is worth retrying at once;
 * one that outlives its retries, a pool with no free connection, and a lost or refused connection
 * are each an overload the caller should retry later (answered with 503 and Retry-After).
 */
public final class TransientFailures {

    /** Why the database could not carry out a request now, though it may later. */
    public enum Kind {
        /** Deadlocks or serialization conflicts with concurrent transactions, on every attempt. */
        BUSY,
        /** No pooled connection became free within the acquisition timeout. */
        CONNECTIONS_EXHAUSTED,
        /** The database refused, lost or never answered the connection. */
        UNAVAILABLE
    }

    private static final int ATTEMPTS = 5;

    /** Operators see how often concurrent work collides: kizuna_database_conflicts_retried_total in /q/metrics. */
    private static final Counter CONFLICTS_RETRIED = Metrics.counter("kizuna.database.conflicts.retried");

    private TransientFailures() {}

    /** Runs the work, again if it lost a deadlock or serialization conflict to a concurrent transaction. */
    public static <T> T retry(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isConflict(e)) {
                    throw e;
                }
                CONFLICTS_RETRIED.increment();
                try {
                    Thread.sleep(5L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * What kind of transient failure this is, if it is one. A connection failure anywhere among the
     * causes wins: a pool that times out because the database does not answer is an outage.
     */
    public static Optional<Kind> classify(Throwable failure) {
        if (isDatabaseUnavailable(failure)) {
            return Optional.of(Kind.UNAVAILABLE);
        }
        if (isPoolTimeout(failure)) {
            return Optional.of(Kind.CONNECTIONS_EXHAUSTED);
        }
        if (isConflict(failure)) {
            return Optional.of(Kind.BUSY);
        }
        return Optional.empty();
    }

    /** Deadlock (40P01), serialization failure (40001), H2's lock timeout or concurrent update (HYT00, 90131). */
    public static boolean isConflict(Throwable failure) {
        String state = sqlState(failure);
        return state != null
                && (state.equals("40P01") || state.equals("40001") || state.equals("HYT00") || state.equals("90131"));
    }

    /**
     * A connection that could not be had or was lost: SQL state class 08, or a server shutting
     * down, crashed or starting up (57P01, 57P02, 57P03). A commit that failed this way counts
     * too: the transaction manager reports it as a rollback and carries the driver's exception only
     * as a suppressed one. A pool that timed out waiting for a free connection is not an outage
     * (see {@link #classify}).
     */
    public static boolean isDatabaseUnavailable(Throwable failure) {
        boolean poolTimeout = isPoolTimeout(failure);
        for (Throwable cause : causesOf(failure)) {
            if (cause instanceof java.sql.SQLTransientConnectionException
                    || cause instanceof java.sql.SQLNonTransientConnectionException
                    || cause instanceof java.net.ConnectException) {
                return true;
            }
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (cause.getClass().getName().startsWith("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            // Hibernate's words for any connection it could not get; the pool's own words tell a timeout apart.
            if (!poolTimeout
                    && cause.getMessage() != null
                    && cause.getMessage().contains("Unable to acquire JDBC Connection")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Agroal's answer when every connection stayed in use for the whole acquisition timeout. (Its
     * "Acquisition timeout while waiting for new connection" is another matter: the database did
     * not accept a new connection in time, an outage.)
     */
    private static boolean isPoolTimeout(Throwable failure) {
        for (Throwable cause : causesOf(failure)) {
            if (cause instanceof SQLException sql
                    && sql.getSQLState() == null
                    && sql.getMessage() != null
                    && sql.getMessage().startsWith("Sorry, acquisition timeout")) {
                return true;
            }
        }
        return false;
    }

    private static String sqlState(Throwable failure) {
        for (Throwable cause : causesOf(failure)) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** The failure, its causes and the exceptions suppressed along the way, each once. */
    private static List<Throwable> causesOf(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> causes = new ArrayList<>();
        Deque<Throwable> pending = new ArrayDeque<>();
        if (failure != null) {
            pending.add(failure);
        }
        while (!pending.isEmpty()) {
            Throwable next = pending.removeFirst();
            if (!seen.add(next)) {
                continue;
            }
            causes.add(next);
            if (next.getCause() != null) {
                pending.add(next.getCause());
            }
            pending.addAll(Arrays.asList(next.getSuppressed()));
        }
        return causes;
    }
}
