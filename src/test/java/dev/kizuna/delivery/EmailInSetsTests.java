package dev.kizuna.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.kizuna.TestSmtp;
import dev.kizuna.messages.Channel;
import dev.kizuna.messages.MessageRecorder;
import dev.kizuna.messages.MessageRow;
import dev.kizuna.messages.MessageStatus;
import dev.kizuna.messages.NewMessage;
import dev.kizuna.tracking.SuppressionList;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The outbox is sent in sets: queued emails are claimed, taken for sending, sent and recorded
 * with a handful of statements for the whole set rather than several per email; each is sent
 * exactly once with the Message-ID the message log shows, and one whose recipient was suppressed
 * while it waited is recorded as not sent, within the same set.
 */
@QuarkusTest
class EmailInSetsTests {

    private static final int EMAILS = 80;
    private static final String SUPPRESSED = "sets-suppressed@sets.example";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(TestSmtp.SETUP).withPerMethodLifecycle(false);

    @Inject
    MessageRecorder messages;

    @Inject
    Outbox outbox;

    @Inject
    SuppressionList suppressions;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    @Test
    void aSetOfEmailsIsSentWithAHandfulOfStatementsEachExactlyOnce() throws Exception {
        QuarkusTransaction.requiringNew().run(() -> suppressions.suppress(SUPPRESSED, SuppressionList.UNSUBSCRIBED));
        List<String> recipients = new ArrayList<>();
        for (int i = 1; i < EMAILS; i++) {
            recipients.add("sets-" + i + "@sets.example");
        }
        recipients.add(SUPPRESSED);

        double before = statements();
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> queue("sets", recipients));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> count("select count(*) from outbox where message_id >= ?", ids.get(0)) == 0);
        double used = statements() - before;

        Map<String, Integer> received = new HashMap<>();
        Map<String, String> receivedMessageIds = new HashMap<>();
        for (MimeMessage email : SMTP.getReceivedMessages()) {
            String to = email.getAllRecipients()[0].toString();
            if (recipients.contains(to)) {
                received.merge(to, 1, Integer::sum);
                receivedMessageIds.put(to, email.getMessageID());
            }
        }
        assertEquals(EMAILS - 1, received.size(), "every email but the suppressed one arrived: " + received.keySet());
        assertTrue(received.values().stream().allMatch(times -> times == 1), "each exactly once: " + received);

        for (int i = 0; i < EMAILS - 1; i++) {
            String[] row = row("select status, header_message_id, recipient from message where id = ?", ids.get(i));
            assertEquals("SENT", row[0], Arrays.toString(row));
            assertEquals(receivedMessageIds.get(row[2]), row[1], "the Message-ID sent is the one in the message log");
            assertEquals(
                    1,
                    count("select count(*) from message_event where message_id = ? and type = 'SENT'", ids.get(i)),
                    "one 'sent' entry in the timeline");
        }
        assertEquals(
                "SUPPRESSED",
                row("select status, header_message_id, recipient from message where id = ?", ids.get(EMAILS - 1))[0]);

        // One by one, an email took about eight statements (claim, renew, Message-ID, read,
        // suppression and subscription checks, sent, timeline, removal); as a set, each of those
        // is one statement for all of them. The counter also counts what runs meanwhile (the
        // processor looking for calls, scheduled jobs), hence the generous bound.
        assertTrue(used <= 2 * EMAILS, "statements for queuing and sending " + EMAILS + " emails: " + used);
    }

    @Test
    void afterTheSmtpServerRestartsTheNextEmailGoesOverANewConnectionAtOnce() throws Exception {
        long before = QuarkusTransaction.requiringNew()
                .call(() -> queue("restart-before", List.of("restart-1@sets.example")))
                .get(0);
        // Recorded as sent once the server took it: its outcome is written just after.
        await().atMost(Duration.ofSeconds(60)).until(() -> statusOf(before).equals("SENT"));
        assertEquals(1, received("restart-1@sets.example"));

        // The connection the first email went over is kept for the next; the restart closes it.
        SMTP.reset();

        long after = QuarkusTransaction.requiringNew()
                .call(() -> queue("restart-after", List.of("restart-2@sets.example")))
                .get(0);
        await().atMost(Duration.ofSeconds(60)).until(() -> statusOf(after).equals("SENT"));
        assertEquals(1, received("restart-2@sets.example"));
        assertEquals(
                0,
                count("select count(*) from message_event where message_id = ? and type = 'ATTEMPT_FAILED'", after),
                "no failed attempt: the lost connection was replaced before the email was tried");
    }

    private String statusOf(long messageId) throws Exception {
        return row("select status, header_message_id, recipient from message where id = ?", messageId)[0];
    }

    private static long received(String recipient) throws Exception {
        long count = 0;
        for (MimeMessage email : SMTP.getReceivedMessages()) {
            if (email.getAllRecipients()[0].toString().equals(recipient)) {
                count++;
            }
        }
        return count;
    }

    private List<Long> queue(String prefix, List<String> recipients) {
        List<Long> ids = messages.reserveIds(recipients.size());
        Instant now = clock.instant();
        List<MessageRow> rows = new ArrayList<>();
        List<Outbox.Entry> entries = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            NewMessage email = new NewMessage(
                    "sets-rule",
                    "v1",
                    "sets-account",
                    prefix + "-user-" + i,
                    Channel.EMAIL,
                    "welcome",
                    "en",
                    MessageStatus.QUEUED,
                    NewMessage.Cause.event(prefix + "-" + i, "event 'Signed Up'"),
                    recipients.get(i),
                    "Set email " + i,
                    "<p>Hello " + i + "</p>",
                    "Hello " + i,
                    null,
                    "product",
                    "Tasklane <hello@tasklane.example>",
                    null);
            rows.add(new MessageRow(ids.get(i), now, email, null));
            entries.add(new Outbox.Entry(ids.get(i), now));
        }
        messages.recordAll(rows);
        outbox.enqueueAll(entries);
        return ids;
    }

    private static double statements() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher counter = Pattern.compile("(?m)^kizuna_database_statements_total(?:\\{[^}]*\\})? (\\S+)$")
                .matcher(metrics);
        assertTrue(counter.find(), "kizuna_database_statements_total in /q/metrics");
        return Double.parseDouble(counter.group(1));
    }

    private long count(String sql, long parameter) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, parameter);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private String[] row(String sql, long parameter) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, parameter);
            try (ResultSet rows = query.executeQuery()) {
                assertTrue(rows.next(), sql + " " + parameter);
                String[] values = new String[rows.getMetaData().getColumnCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rows.getString(i + 1);
                }
                return values;
            }
        }
    }
}
