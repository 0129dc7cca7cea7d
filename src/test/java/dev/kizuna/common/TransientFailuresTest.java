package dev.kizuna.common;

import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransientFailuresTest {

    @Test
    void aRefusedPostgresConnectionMeansTheDatabaseIsUnavailable() {
        // Port 9 (discard) has no PostgreSQL: the real driver's real failure.
        SQLException refused = assertThrows(SQLException.class,
                () -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:9/none?connectTimeout=2", "x", "x"));
        assertTrue(TransientFailures.isDatabaseUnavailable(new RuntimeException("wrapped", refused)));
    }

    @Test
    void aServerShuttingDownOrStartingUpMeansTheDatabaseIsUnavailable() {
        // What PostgreSQL says to open connections when it is stopped, and to new ones while it starts.
        assertTrue(TransientFailures.isDatabaseUnavailable(new RuntimeException(
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"))));
        assertTrue(TransientFailures.isDatabaseUnavailable(new SQLException("FATAL: the database system is starting up", "57P03")));
    }

    @Test
    void aDeadlockIsAConflictToRetryNotAnOutage() {
        SQLException deadlock = new SQLException("deadlock detected", "40P01");
        assertTrue(TransientFailures.isConflict(new RuntimeException(deadlock)));
        assertFalse(TransientFailures.isDatabaseUnavailable(deadlock));
    }

    @Test
    void aConflictIsRetriedAndOtherFailuresAreNot() {
        int[] attempts = {0};
        String result = TransientFailures.retry(() -> {
            if (++attempts[0] < 3) {
                throw new RuntimeException(new SQLException("could not serialize", "40001"));
            }
            return "done";
        });
        assertTrue(result.equals("done") && attempts[0] == 3);
        int[] once = {0};
        assertThrows(IllegalStateException.class, () -> TransientFailures.retry(() -> {
            once[0]++;
            throw new IllegalStateException("a bug, not a conflict");
        }));
        assertTrue(once[0] == 1);
    }
}
