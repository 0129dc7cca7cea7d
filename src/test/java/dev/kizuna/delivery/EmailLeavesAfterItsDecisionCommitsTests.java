package dev.kizuna.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.kizuna.Scenario;
import dev.kizuna.TestSmtp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The outbox wakes the sender when the transaction that queued an email commits: with the
 * periodic poll turned off, nothing else could send it.
 */
@QuarkusTest
@TestProfile(JapaneseSenderWithoutPolling.class)
class EmailLeavesAfterItsDecisionCommitsTests {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(TestSmtp.SETUP).withPerMethodLifecycle(false);

    @Test
    void aWelcomeEmailIsSentWithoutWaitingForThePoll() {
        Scenario.trialUser("wake-ada", "wake-co")
                .withTraits(Map.of("email", "ada@wake.example", "name", "Ada Wake"))
                .signsUp();

        List<MimeMessage> received = await().atMost(Duration.ofSeconds(60))
                .until(() -> emailsTo("ada@wake.example"), emails -> !emails.isEmpty());
        assertEquals(1, received.size(), "one welcome email");
    }

    private static List<MimeMessage> emailsTo(String address) {
        return Arrays.stream(SMTP.getReceivedMessages())
                .filter(message -> {
                    try {
                        return Arrays.stream(message.getAllRecipients())
                                .anyMatch(recipient -> recipient.toString().equals(address));
                    } catch (Exception e) {
                        return false;
                    }
                })
                .toList();
    }
}
