package dev.kizuna.common;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A connection lost between the last statement and the commit (PostgreSQL stopped at that moment)
 * leaves the outcome in doubt: it is classified as the database being unavailable, so the caller
 * is told to retry (idempotently) rather than given a 500. PostgreSQL suite only: H2 runs inside
 * the test JVM and its connections cannot be cut from outside.
 */
@QuarkusTest
class LostCommitTests {

    @Inject
    EntityManager entityManager;

    @Test
    void aConnectionLostBeforeTheCommitMeansTheDatabaseIsUnavailable() {
        Assumptions.assumeTrue(
                "postgresql".equals(ConfigProvider.getConfig().getValue("quarkus.datasource.db-kind", String.class)),
                "cutting a connection from outside needs PostgreSQL (mvn verify -Ppostgres)");
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        RuntimeException failure = assertThrows(
                RuntimeException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> {
                    entityManager
                            .createNativeQuery(
                                    "insert into ingested_message (message_id, received_at) values ('lost-commit', current_timestamp)")
                            .executeUpdate();
                    int backend = ((Number) entityManager
                                    .createNativeQuery("select pg_backend_pid()")
                                    .getSingleResult())
                            .intValue();
                    try (Connection other = DriverManager.getConnection(url, "postgres", "");
                            PreparedStatement terminate = other.prepareStatement("select pg_terminate_backend(?)")) {
                        terminate.setInt(1, backend);
                        terminate.execute();
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }));
        assertTrue(
                TransientFailures.isDatabaseUnavailable(failure),
                () -> "classified as a failure of the request: " + failure);
    }
}
