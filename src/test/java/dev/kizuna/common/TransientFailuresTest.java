package dev.kizuna.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.common.TransientFailures.Kind;
import dev.kizuna.problem.Problem;
import dev.kizuna.problem.ProblemMappers;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.exception.GenericJDBCException;
import org.junit.jupiter.api.Test;

class TransientFailuresTest {

    @Test
    void aRefusedPostgresConnectionMeansTheDatabaseIsUnavailable() {
        // Port 9 (discard) has no PostgreSQL: the real driver's real failure.
        SQLException refused = assertThrows(
                SQLException.class,
                () -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:9/none?connectTimeout=2", "x", "x"));
        assertTrue(TransientFailures.isDatabaseUnavailable(new RuntimeException("wrapped", refused)));
    }

    @Test
    void aServerShuttingDownOrStartingUpMeansTheDatabaseIsUnavailable() {
        // What PostgreSQL says to open connections when it is stopped, and to new ones while it starts.
        assertTrue(TransientFailures.isDatabaseUnavailable(new RuntimeException(
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"))));
        assertTrue(TransientFailures.isDatabaseUnavailable(
                new SQLException("FATAL: the database system is starting up", "57P03")));
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
        assertThrows(
                IllegalStateException.class,
                () -> TransientFailures.retry(() -> {
                    once[0]++;
                    throw new IllegalStateException("a bug, not a conflict");
                }));
        assertTrue(once[0] == 1);
    }

    @Test
    void aDeadlockOnEveryAttemptIsTheDatabaseBeingBusy() {
        int[] attempts = {0};
        RuntimeException failure = assertThrows(
                RuntimeException.class,
                () -> TransientFailures.retry(() -> {
                    attempts[0]++;
                    throw new RuntimeException(new SQLException("ERROR: deadlock detected", "40P01"));
                }));
        assertEquals(5, attempts[0]);
        assertEquals(Optional.of(Kind.BUSY), TransientFailures.classify(failure));
        assertEquals(
                Optional.of(Kind.BUSY),
                TransientFailures.classify(new SQLException("could not serialize access", "40001")));
    }

    @Test
    void aPoolWithNoFreeConnectionIsExhaustedNotUnavailable() throws SQLException {
        // The real pool's real timeout: one connection, held, and a second asked for. The driver is
        // loaded first so that the first connection comes well within the timeout.
        DriverManager.getConnection("jdbc:h2:mem:transient-failures-pool").close();
        AgroalDataSourceConfigurationSupplier configuration = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool.maxSize(1)
                        .acquisitionTimeout(Duration.ofSeconds(1))
                        .connectionFactoryConfiguration(
                                factory -> factory.jdbcUrl("jdbc:h2:mem:transient-failures-pool")));
        try (AgroalDataSource dataSource = AgroalDataSource.from(configuration);
                Connection held = dataSource.getConnection()) {
            SQLException timeout = assertThrows(SQLException.class, dataSource::getConnection);
            RuntimeException asHibernateReportsIt =
                    new GenericJDBCException("Unable to acquire JDBC Connection", timeout);
            assertEquals(Optional.of(Kind.CONNECTIONS_EXHAUSTED), TransientFailures.classify(asHibernateReportsIt));
            assertFalse(TransientFailures.isDatabaseUnavailable(asHibernateReportsIt));
        }
    }

    @Test
    void aConnectionThatCannotBeMadeIsUnavailableEvenWhenThePoolReportsIt() {
        SQLException refused = assertThrows(
                SQLException.class,
                () -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:9/none?connectTimeout=2", "x", "x"));
        RuntimeException asHibernateReportsIt = new GenericJDBCException(
                "Unable to acquire JDBC Connection",
                new SQLException("Exception while creating new connection", refused));
        assertEquals(Optional.of(Kind.UNAVAILABLE), TransientFailures.classify(asHibernateReportsIt));
        assertEquals(Optional.empty(), TransientFailures.classify(new IllegalStateException("a bug")));
    }

    @Test
    void eachOverloadIsAnswered503WithRetryAfterAndSaysWhatHappened() {
        ProblemMappers mappers = new ProblemMappers();
        Response deadlocked =
                mappers.unexpected(new RuntimeException(new SQLException("ERROR: deadlock detected", "40P01")));
        assertOverloaded(deadlocked, "deadlock");
        Response exhausted = mappers.unexpected(new GenericJDBCException(
                "Unable to acquire JDBC Connection", new SQLException("Sorry, acquisition timeout!")));
        assertOverloaded(exhausted, "all database connections are busy");
        Response down = mappers.unexpected(new RuntimeException(new SQLException("Connection refused", "08001")));
        assertOverloaded(down, "the database is unavailable");
        Response notAccepting = mappers.unexpected(new GenericJDBCException(
                "Unable to acquire JDBC Connection",
                new SQLException(
                        "Acquisition timeout while waiting for new connection",
                        new java.util.concurrent.TimeoutException())));
        assertOverloaded(notAccepting, "the database is unavailable");
        assertEquals(500, mappers.unexpected(new IllegalStateException("a bug")).getStatus());
    }

    private static void assertOverloaded(Response answer, String saying) {
        assertEquals(503, answer.getStatus());
        assertTrue(answer.getHeaderString("Retry-After") != null, "Retry-After");
        Problem problem = (Problem) answer.getEntity();
        assertTrue(problem.detail().contains(saying) && problem.detail().contains("retry"), problem.detail());
    }
}
