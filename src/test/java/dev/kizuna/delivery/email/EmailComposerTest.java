package dev.kizuna.delivery.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** Whatever the data holds, a composed email has exactly the headers Kizuna sets. */
class EmailComposerTest {

    private final EmailComposer composer =
            new EmailComposer(new TasklaneMail(), Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void aLineBreakInTheSubjectBecomesASpace() throws Exception {
        MimeMessage email = composer.compose(new OutgoingEmail(
                null,
                "ada@acme.example",
                "Hello\r\nBcc: mallory@evil.example\n\rX-Injected: yes",
                "<p>hi</p>",
                "hi",
                "<kizuna.1.1@tasklane.example>",
                null));
        assertEquals("Hello Bcc: mallory@evil.example X-Injected: yes", email.getSubject());
        assertNull(email.getHeader("Bcc"));
        assertNull(email.getHeader("X-Injected"));
        assertEquals(1, email.getAllRecipients().length);
    }

    @Test
    void anAddressWithALineBreakIsAPermanentFailure() {
        for (String address : new String[] {
            "ada@acme.example\r\nBcc: mallory@evil.example", "ada@acme.example\nX: y", "ada\u0000@acme.example"
        }) {
            DeliveryFailure failure = assertThrows(
                    DeliveryFailure.class,
                    () -> composer.compose(new OutgoingEmail(
                            null, address, "Hello", "<p>hi</p>", "hi", "<kizuna.1.1@tasklane.example>", null)));
            assertTrue(failure.permanent());
            assertTrue(failure.getMessage().contains("line break or control character"), failure.getMessage());
        }
        DeliveryFailure badSender = assertThrows(
                DeliveryFailure.class,
                () -> composer.compose(new OutgoingEmail(
                        "Tasklane <a@tasklane.example>\r\nBcc: mallory@evil.example",
                        "ada@acme.example",
                        "Hello",
                        "<p>hi</p>",
                        "hi",
                        "<kizuna.1.1@tasklane.example>",
                        null)));
        assertTrue(badSender.permanent());
    }

    @Test
    void marketingEmailCarriesOneClickUnsubscribeAndInternalEmailDoesNot() throws Exception {
        MimeMessage marketing = composer.compose(new OutgoingEmail(
                "Tasklane Team <team@tasklane.example>",
                "ada@acme.example",
                "Hello",
                "<p>hi</p>",
                "hi",
                "<kizuna.7.1@tasklane.example>",
                "https://kizuna.example.com/t/u/abc.def"));
        assertEquals("<https://kizuna.example.com/t/u/abc.def>", marketing.getHeader("List-Unsubscribe")[0]);
        assertEquals("List-Unsubscribe=One-Click", marketing.getHeader("List-Unsubscribe-Post")[0]);
        assertEquals("Tasklane Team <team@tasklane.example>", marketing.getHeader("From")[0]);
        assertEquals("<kizuna.7.1@tasklane.example>", marketing.getMessageID());

        MimeMessage internal = composer.compose(new OutgoingEmail(
                null, "csm@tasklane.example", "Risk", "<p>hi</p>", "hi", "<kizuna.8.1@tasklane.example>", null));
        assertNull(internal.getHeader("List-Unsubscribe"));
        assertEquals("Tasklane <hello@tasklane.example>", internal.getHeader("From")[0]);
        assertTrue(Collections.list(internal.getAllHeaderLines()).stream().noneMatch(line -> line.startsWith("List-")));
    }

    @Test
    void namesAndSubjectBeyondAsciiGoOutAsEncodedWordsAndReadBackUnchanged() throws Exception {
        MimeMessage email = composer.compose(new OutgoingEmail(
                "絆チーム <team@tasklane.example>",
                "山田 花子 <hanako@acme.example>",
                "ようこそ、花子さん",
                "<p>こんにちは</p>",
                "こんにちは",
                "<kizuna.9.1@tasklane.example>",
                "https://kizuna.example.com/t/u/abc.def"));
        email.saveChanges();

        for (String line : Collections.list(email.getAllHeaderLines())) {
            assertTrue(line.chars().allMatch(c -> c < 0x80), "an ASCII header line: " + line);
        }
        assertTrue(email.getHeader("From")[0].startsWith("=?UTF-8?"), email.getHeader("From")[0]);
        InternetAddress from = (InternetAddress) email.getFrom()[0];
        assertEquals("絆チーム", from.getPersonal());
        assertEquals("team@tasklane.example", from.getAddress());
        InternetAddress to = (InternetAddress) email.getRecipients(MimeMessage.RecipientType.TO)[0];
        assertEquals("山田 花子", to.getPersonal());
        assertEquals("hanako@acme.example", to.getAddress());
        assertEquals("ようこそ、花子さん", email.getSubject());
    }

    @Test
    void aDomainBeyondAsciiGoesOutInPunycodeAndALocalPartBeyondAsciiIsRefused() throws Exception {
        MimeMessage email = composer.compose(new OutgoingEmail(
                "絆 <team@絆.example>",
                "ada@acme.example",
                "Hello",
                "<p>hi</p>",
                "hi",
                "<kizuna.10.1@tasklane.example>",
                null));
        assertEquals("team@xn--wc0a.example", ((InternetAddress) email.getFrom()[0]).getAddress());

        DeliveryFailure failure = assertThrows(
                DeliveryFailure.class,
                () -> composer.compose(new OutgoingEmail(
                        null, "花子@acme.example", "Hello", "<p>hi</p>", "hi", "<kizuna.11.1@tasklane.example>", null)));
        assertTrue(failure.permanent());
    }

    /**
     * Named rather than anonymous: Quarkus marks the methods of a class implementing a mapping with
     * constraints for validation, and CDI forbids that on an anonymous class.
     */
    private static final class TasklaneMail implements MailConfig {

        @Override
        public String from() {
            return "Tasklane <hello@tasklane.example>";
        }

        @Override
        public Path captureDir() {
            return Path.of("unused");
        }

        @Override
        public Sender sender() {
            return dev.kizuna.templates.TestTemplates.NO_SENDER.sender();
        }
    }
}
