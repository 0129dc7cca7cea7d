package dev.kizuna.ingest;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kizuna.PausableTcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * While PostgreSQL is unreachable, ingestion answers 503 and stores nothing; when it is back,
 * Kizuna recovers by itself. Runs in the PostgreSQL suite (the database sits behind a proxy the
 * test cuts); skipped on H2, which runs inside the test JVM.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTests.BehindAProxy.class)
class DatabaseOutageTests {

    static final PausableTcpProxy PROXY = PausableTcpProxy.to(5432);

    public static class BehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            if (!System.getProperty("quarkus.test.profile", "").contains("postgres")) {
                return Map.of();
            }
            return Map.of(
                    "quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + PROXY.port() + "/test?connectTimeout=2&socketTimeout=10",
                    "quarkus.datasource.jdbc.acquisition-timeout",
                    "3s");
        }
    }

    @Test
    void ingestionAnswers503WhileTheDatabaseIsDownAndRecoversWithoutARestart() throws Exception {
        Assumptions.assumeTrue(
                "postgresql".equals(ConfigProvider.getConfig().getValue("quarkus.datasource.db-kind", String.class)),
                "the outage test needs PostgreSQL (mvn verify -Ppostgres)");
        track("outage-before");

        PROXY.cut();
        try {
            for (int i = 0; i < 3; i++) {
                Response down = asProduct().body(call("outage-during-" + i)).post("/v1/track");
                assertEquals(503, down.statusCode(), down.asString());
                assertNotNull(down.header("Retry-After"));
            }
        } finally {
            PROXY.restore();
        }

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() ->
                        asProduct().body(call("outage-after")).post("/v1/track").statusCode() == 200);
        asAdmin()
                .get("/api/accounts/outage-co")
                .then()
                .statusCode(200)
                .body("events.'Before'.count", equalTo(1))
                .body("events.'After'.count", equalTo(1))
                .body("events.'During'", org.hamcrest.Matchers.nullValue());
    }

    private static Map<String, Object> call(String messageId) {
        String event = messageId.contains("before") ? "Before" : messageId.contains("after") ? "After" : "During";
        return Map.of(
                "userId",
                "outage-user",
                "event",
                event,
                "messageId",
                messageId,
                "context",
                Map.of("groupId", "outage-co"));
    }

    private static void track(String messageId) {
        asProduct().body(call(messageId)).post("/v1/track").then().statusCode(200);
    }
}
