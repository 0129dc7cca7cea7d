package dev.kizuna.delivery;

import static dev.kizuna.TestKeys.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Logs are for operators: a delivery that fails is logged by its message id, never by the recipient's address. */
@QuarkusTest
class DeliveryLogTests {

    private static final Logger KIZUNA = Logger.getLogger("dev.kizuna");

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
                logged.add(message + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureTheLog() {
        KIZUNA.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        KIZUNA.removeHandler(capture);
    }

    @Test
    void aRecipientAddressThatCannotBeSentToIsLoggedByMessageIdOnly() {
        // Stored as given, refused when the email is composed: it would need SMTPUTF8.
        String address = "レナ.log@log.example";
        Scenario.trialUser("log-lena", "log-lena-co")
                .withTraits(Map.of("email", address, "name", "Lena Log"))
                .inAccountNamed("Log Co")
                .signsUp();

        long messageId = await().atMost(Duration.ofSeconds(15))
                .until(
                        () -> asAdmin()
                                .queryParam("userId", "log-lena")
                                .queryParam("channel", "email")
                                .queryParam("status", "failed")
                                .get("/api/messages")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList("items.id", Long.class),
                        ids -> !ids.isEmpty())
                .get(0);

        String failureLine = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> logged.stream()
                                .filter(line -> line.startsWith("message " + messageId + " attempt 1 failed"))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .get();
        assertTrue(failureLine.contains("invalid address"), "the log says what went wrong: " + failureLine);
        for (String line : logged) {
            assertFalse(line.contains("log.example"), "no address in the log: " + line);
            assertFalse(line.contains("Lena Log"), "no name in the log: " + line);
        }
    }
}
