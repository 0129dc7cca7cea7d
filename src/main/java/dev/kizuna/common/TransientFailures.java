package dev.kizuna.common;

import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Classifies database failures: a deadlock or serialization conflict is worth retrying at once;
 * a lost or refused connection means the database is unavailable (answered with 503).
 */
public final class TransientFailures {

    private static final int ATTEMPTS = 5;

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
                try {
                    Thread.sleep(5L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Deadlock (40P01), serialization failure (40001), H2's lock timeout or concurrent update (HYT00, 90131). */
    public static boolean isConflict(Throwable failure) {
        String state = sqlState(failure);
        return state != null && (state.equals("40P01") || state.equals("40001") || state.equals("HYT00") || state.equals("90131"));
    }

    /** A connection that could not be had or was lost: SQL state class 08, or a pool that timed out waiting. */
    public static boolean isDatabaseUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLTransientConnectionException
                    || cause instanceof java.sql.SQLNonTransientConnectionException
                    || cause instanceof java.net.ConnectException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (cause.getClass().getName().startsWith("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            if (cause.getMessage() != null && cause.getMessage().contains("Unable to acquire JDBC Connection")) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
