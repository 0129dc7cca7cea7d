package dev.kizuna.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.kizuna.Scenario;
import dev.kizuna.SegmentCalls;
import dev.kizuna.TestSmtp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.mail.Address;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Japanese email as a mail server receives it: without SMTPUTF8, every header must be ASCII,
 * so the sender's name and the subject travel as RFC 2047 encoded words and read back unchanged.
 */
@QuarkusTest
@TestProfile(JapaneseSenderWithoutPolling.class)
class JapaneseEmailHeadersTests {

    static final String DEFAULT_SENDER = "絆チーム <team@kizuna.example>";
    static final String TEMPLATE_SENDER = "タスクレーン サポート <support@tasklane.example>";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(TestSmtp.SETUP).withPerMethodLifecycle(false);

    @Test
    void theDefaultSenderNameAndAJapaneseSubjectGoOutAsAsciiHeadersThatDecodeBackToJapanese() throws Exception {
        Scenario.trialUser("jp-hanako", "jp-hanako-co")
                .withTraits(Map.of("email", "hanako@jp.example", "firstName", "花子", "locale", "ja"))
                .signsUp();
        MimeMessage email = awaitEmail("hanako@jp.example", "Tasklane へようこそ");

        assertEveryHeaderLineIsAscii(email);
        InternetAddress from = (InternetAddress) email.getFrom()[0];
        assertEquals("絆チーム", from.getPersonal());
        assertEquals("team@kizuna.example", from.getAddress());
        assertEquals("Tasklane へようこそ、花子さん：最初のプロジェクトを作りましょう", email.getSubject());
    }

    @Test
    void aTemplatesOwnJapaneseSenderGoesOutAsAsciiHeadersThatDecodeBackToJapanese() throws Exception {
        Scenario.trialUser("jp-taro", "jp-taro-co")
                .withTraits(Map.of("email", "taro@jp.example", "firstName", "太郎", "locale", "ja"))
                .signsUp();
        SegmentCalls.track("jp-taro", "Letter Requested", "jp-taro-co", "jp-taro-letter")
                .statusCode(200);
        MimeMessage email = awaitEmail("taro@jp.example", "サポートからのお知らせ");

        assertEveryHeaderLineIsAscii(email);
        InternetAddress from = (InternetAddress) email.getFrom()[0];
        assertEquals("タスクレーン サポート", from.getPersonal());
        assertEquals("support@tasklane.example", from.getAddress());
        assertEquals("サポートからのお知らせ：太郎さんへ", email.getSubject());
        assertTrue(email.getHeader("List-Unsubscribe")[0].startsWith("<http"), "the unsubscribe header is there too");
    }

    /** The header block exactly as the server received it, line by line (continuation lines included). */
    private static void assertEveryHeaderLineIsAscii(MimeMessage email) {
        String raw = GreenMailUtil.getWholeMessage(email);
        String headers = raw.substring(0, raw.indexOf("\r\n\r\n"));
        for (String line : headers.split("\r\n")) {
            assertTrue(
                    line.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\t'),
                    "a header line of printable ASCII: " + line);
        }
        assertTrue(headers.contains("=?UTF-8?"), "the Japanese text is there, as encoded words:\n" + headers);
    }

    private static MimeMessage awaitEmail(String address, String subjectStart) {
        return await().atMost(Duration.ofSeconds(15))
                .until(
                        () -> emailsTo(address).stream()
                                .filter(email -> subjectOf(email).startsWith(subjectStart))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .get();
    }

    private static List<MimeMessage> emailsTo(String address) {
        return Arrays.stream(SMTP.getReceivedMessages())
                .filter(email -> recipientsOf(email).contains(address))
                .toList();
    }

    private static List<String> recipientsOf(MimeMessage email) {
        try {
            Address[] recipients = email.getAllRecipients();
            return recipients == null
                    ? List.of()
                    : Arrays.stream(recipients)
                            .map(a -> ((InternetAddress) a).getAddress())
                            .toList();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subjectOf(MimeMessage email) {
        try {
            return String.valueOf(email.getSubject());
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
