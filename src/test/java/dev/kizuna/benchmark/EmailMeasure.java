package dev.kizuna.benchmark;

import static org.awaitility.Awaitility.await;

import dev.kizuna.PackagedKizuna;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Emails per second from Kizuna's outbox to a local SMTP sink, against plain Angus loops sending
 * the same messages to the same sink over as many connections as Kizuna's senders use. The
 * emails are queued straight into the database in one transaction, so that only sending is
 * timed: from the first message's sent time to the last one's.
 */
final class EmailMeasure {

    private final String database;
    private final int smtpPort;
    private final String sink;
    private final int connections;

    EmailMeasure(String database, int smtpPort, String sink, int connections) {
        this.database = database;
        this.smtpPort = smtpPort;
        this.sink = sink;
        this.connections = connections;
    }

    BenchmarkReport.Figure measure(int emails) throws Exception {
        String html = html();
        String text =
                "Hello,\n\nyour team has 3 projects and 12 open tasks. See what is new: https://app.example/whats-new\n";
        queue(emails, html, text);
        double kizuna = awaitSent(emails, Duration.ofMinutes(5));
        double raw = sendRaw(emails, html, text);
        boolean met = kizuna >= 1000 && kizuna / raw >= 0.8;
        return new BenchmarkReport.Figure(
                "email: outbox to local SMTP",
                "emails/s",
                kizuna,
                raw,
                ">= 1,000/s and >= 0.80 of raw",
                met,
                Map.of("emails", emails, "htmlBytes", html.length(), "sink", sink, "connections", connections));
    }

    private void queue(int emails, String html, String text) throws Exception {
        try (Connection db = PackagedKizuna.connect(database)) {
            db.setAutoCommit(false);
            try (PreparedStatement message = db.prepareStatement("""
                    insert into message (rule_id, rule_version, account_id, user_id, channel, template_id, locale, status, cause_type,
                                         cause_ref, recipient, subject, body_html, body_text, created_at, category, sender)
                    values ('benchmark-email', 'benchmark', ?, ?, 'EMAIL', 'benchmark', 'en', 'QUEUED', 'event', ?, ?, ?, ?, ?, ?,
                            'onboarding', 'Kizuna Benchmark <benchmark@kizuna.example>')""", Statement.RETURN_GENERATED_KEYS);
                    PreparedStatement outbox =
                            db.prepareStatement("insert into outbox (message_id, available_at) values (?, ?)")) {
                Timestamp now = Timestamp.from(Instant.now());
                for (int i = 0; i < emails; i++) {
                    message.setString(1, "mail-account-" + (i % 100));
                    message.setString(2, "mail-user-" + i);
                    message.setString(3, "mail-" + i);
                    message.setString(4, "mail-user-" + i + "@benchmark.example");
                    message.setString(5, "Your week in Tasklane, #" + i);
                    message.setString(6, html);
                    message.setString(7, text);
                    message.setTimestamp(8, now);
                    message.addBatch();
                }
                message.executeBatch();
                try (ResultSet ids = message.getGeneratedKeys()) {
                    while (ids.next()) {
                        outbox.setLong(1, ids.getLong(1));
                        outbox.setTimestamp(2, now);
                        outbox.addBatch();
                    }
                }
                outbox.executeBatch();
            }
            db.commit();
        }
    }

    /** Waits until every queued email was sent; emails per second between the first and the last send. */
    private double awaitSent(int emails, Duration within) throws Exception {
        try (Connection db = PackagedKizuna.connect(database);
                PreparedStatement progress = db.prepareStatement("""
                        select count(*), min(sent_at), max(sent_at),
                               sum(case when status not in ('QUEUED', 'SENT') then 1 else 0 end)
                          from message where rule_id = 'benchmark-email'""")) {
            // The rate is read from the send times stored, so how often this looks does not change it.
            return await("the outbox sends " + emails + " emails")
                    .atMost(within)
                    .pollInterval(Duration.ofMillis(250))
                    .pollInSameThread()
                    .until(() -> rateOnceAllSent(db, progress, emails), rate -> rate != null);
        }
    }

    /** Emails per second between the first and the last send once all are sent; null before. */
    private static Double rateOnceAllSent(Connection db, PreparedStatement progress, int emails) throws Exception {
        try (ResultSet row = progress.executeQuery()) {
            row.next();
            if (row.getLong(4) > 0) {
                throw new AssertionError(row.getLong(4) + " benchmark emails were not sent; see the instance's log");
            }
            Timestamp first = row.getTimestamp(2);
            Timestamp last = row.getTimestamp(3);
            try (Statement statement = db.createStatement();
                    ResultSet sent = statement.executeQuery(
                            "select count(*) from message where rule_id = 'benchmark-email' and status = 'SENT'")) {
                sent.next();
                if (sent.getLong(1) != emails) {
                    return null;
                }
                double seconds =
                        Duration.between(first.toInstant(), last.toInstant()).toNanos() / 1e9;
                return (emails - 1) / seconds;
            }
        }
    }

    /**
     * The plain baseline: Angus loops, one per connection, as many connections as Kizuna's
     * senders, sharing the same multipart messages between them.
     */
    private double sendRaw(int emails, String html, String text) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", Integer.toString(smtpPort));
        Session session = Session.getInstance(properties);
        ExecutorService loops = Executors.newFixedThreadPool(connections);
        long started = System.nanoTime();
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int loop = 0; loop < connections; loop++) {
                int first = loop;
                sent.add(loops.submit(() -> {
                    try (Transport transport = session.getTransport("smtp")) {
                        transport.connect();
                        for (int i = first; i < emails; i += connections) {
                            MimeMessage message = rawMessage(session, i, html, text);
                            transport.sendMessage(message, message.getAllRecipients());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> loop : sent) {
                loop.get();
            }
        } finally {
            loops.shutdown();
        }
        return emails / ((System.nanoTime() - started) / 1e9);
    }

    private static MimeMessage rawMessage(Session session, int i, String html, String text) throws Exception {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("benchmark@kizuna.example", "Kizuna Benchmark"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("raw-user-" + i + "@benchmark.example"));
        message.setSubject("Your week in Tasklane, #" + i, "UTF-8");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text, "UTF-8");
        MimeBodyPart rich = new MimeBodyPart();
        rich.setContent(html, "text/html; charset=UTF-8");
        message.setContent(new MimeMultipart("alternative", plain, rich));
        message.saveChanges();
        return message;
    }

    /** An email body of a realistic size (about 4 KB), with links like the ones Kizuna tracks. */
    private static String html() {
        StringBuilder html = new StringBuilder("<!doctype html><html><body><h1>Your week in Tasklane</h1>");
        for (int i = 0; i < 20; i++) {
            html.append("<p>Project ")
                    .append(i)
                    .append(" moved forward: <a href=\"https://app.example/projects/")
                    .append(i)
                    .append("?utm_source=kizuna\">see what changed</a>. Three tasks were completed by your team.</p>");
        }
        return html.append("<p><a href=\"https://app.example/unsubscribe\">Unsubscribe</a></p></body></html>")
                .toString();
    }
}
