package dev.kizuna.delivery;

import static dev.kizuna.SegmentCalls.track;
import static dev.kizuna.TestKeys.asAdmin;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import dev.kizuna.Scenario;
import dev.kizuna.SegmentCalls;
import dev.kizuna.TestSmtp;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Email as a mailbox provider receives it from the sample rules: a real SMTP server (GreenMail)
 * takes the mail, and the test follows its links as a recipient would.
 */
@QuarkusTest
class EmailDeliveryTests {

    private static final String LINKS = "http://localhost:8081";
    private static final Pattern TRACKED_LINK = Pattern.compile("href=\"(" + Pattern.quote(LINKS) + "/t/c/[^\"]+)\"");
    private static final Pattern OPEN_PIXEL = Pattern.compile("<img src=\"(" + Pattern.quote(LINKS) + "/t/o/[^\"]+)\"");

    /** Generous, so that a loaded machine is slow rather than failing; a passing wait returns as soon as it holds. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    static final GreenMail SMTP = new GreenMail(TestSmtp.SETUP);

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void startSmtp() throws InterruptedException {
        TestSmtp.start(SMTP);
    }

    @AfterAll
    static void stopSmtp() {
        SMTP.stop();
    }

    @Test
    void aSentEmailCarriesWhatMailboxProvidersRequireOfABulkSender() throws Exception {
        Scenario.trialUser("dl-bulk", "dl-bulk-co")
                .withEmail("bulk@dl.example")
                .withTraits(Map.of("name", "Bea Bulk"))
                .signsUp();
        MimeMessage email = awaitEmailTo("bulk@dl.example");
        JsonPath message = welcomeMessageOf("dl-bulk");

        assertEquals("Kizuna Onboarding <onboarding@kizuna.example>", email.getHeader("From")[0]);
        assertEquals(
                message.getString("emailMessageId"),
                email.getMessageID(),
                "the Message-ID is the one in the message log");
        assertTrue(email.getMessageID().matches("<kizuna\\.\\d+\\.\\d+@kizuna\\.example>"), email.getMessageID());
        assertNotNull(email.getSentDate(), "a Date header");

        String unsubscribe = email.getHeader("List-Unsubscribe")[0];
        assertTrue(
                unsubscribe.matches("<" + Pattern.quote(LINKS) + "/t/u/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+>"), unsubscribe);
        assertArrayEquals(new String[] {"List-Unsubscribe=One-Click"}, email.getHeader("List-Unsubscribe-Post"));

        assertTrue(email.getContentType().startsWith("multipart/alternative"), email.getContentType());
        Multipart parts = (Multipart) email.getContent();
        assertEquals(2, parts.getCount());
        assertTrue(
                parts.getBodyPart(0).getContentType().matches("(?i)text/plain; charset=UTF-8.*"),
                parts.getBodyPart(0).getContentType());
        assertTrue(
                parts.getBodyPart(1).getContentType().matches("(?i)text/html; charset=UTF-8.*"),
                parts.getBodyPart(1).getContentType());
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();

        String unsubscribeUrl = unsubscribe.substring(1, unsubscribe.length() - 1);
        assertTrue(html.contains("href=\"" + unsubscribeUrl + "\""), "the body has the same unsubscribe link, visibly");
        assertTrue(text.contains("Unsubscribe: " + unsubscribeUrl), "and so has the text part");
        assertTrue(html.contains("548 Market St"), "the sender's postal address");
        assertTrue(OPEN_PIXEL.matcher(html).find(), "an open pixel");
        assertTrue(TRACKED_LINK.matcher(html).find(), "links go through the click redirect");
        assertFalse(
                html.contains("href=\"https://app.tasklane.example/projects/new\""),
                "no untracked outside link is left");
        assertEquals(
                message.getString("bodyHtml").strip(),
                html.replace("\r\n", "\n").strip(),
                "the message log holds the HTML exactly as sent (SMTP carries its lines with CRLF)");
        assertEquals("onboarding", message.getString("category"));
    }

    @Test
    void aClickLeadsToTheLinkOfTheEmailAndLandsOnTheTimeline() throws Exception {
        Scenario.trialUser("dl-click", "dl-click-co")
                .withEmail("click@dl.example")
                .withTraits(Map.of("name", "Cid Click"))
                .signsUp();
        String html = htmlOf(awaitEmailTo("click@dl.example"));
        // The SMTP server has the email a moment before Kizuna records it as sent; a reader clicks after that.
        await().atMost(PATIENCE).until(() -> welcomeMessageOf("dl-click").getString("status"), "sent"::equals);
        String click = first(TRACKED_LINK, html);
        String pixel = first(OPEN_PIXEL, html);

        given().redirects()
                .follow(false)
                .get(click)
                .then()
                .statusCode(302)
                .header("Location", "https://app.tasklane.example/projects/new")
                .header("Cache-Control", containsString("no-store"));
        given().get(pixel).then().statusCode(200).contentType("image/gif");
        given().get(pixel).then().statusCode(200);

        List<Map<String, String>> timeline = welcomeMessageOf("dl-click").getList("timeline");
        assertEquals(
                List.of("sent", "opened", "clicked"),
                timeline.stream().map(entry -> entry.get("type")).toList(),
                "one open (implied by the click; the pixel adds nothing), one click: " + timeline);
        assertEquals("implied by a click", timeline.get(1).get("detail"));
        assertEquals(
                "https://app.tasklane.example/projects/new", timeline.get(2).get("detail"));
    }

    @Test
    void aTamperedOrMisusedLinkTokenIsRefusedWithoutRedirecting() throws Exception {
        Scenario.trialUser("dl-tamper", "dl-tamper-co")
                .withEmail("tamper@dl.example")
                .withTraits(Map.of("name", "Tim Tamper"))
                .signsUp();
        MimeMessage email = awaitEmailTo("tamper@dl.example");
        String click = first(TRACKED_LINK, htmlOf(email));
        String token = click.substring(click.lastIndexOf('/') + 1);
        String payload = token.substring(0, token.indexOf('.'));
        String signature = token.substring(token.indexOf('.') + 1);

        String otherTarget = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(new String(java.util.Base64.getUrlDecoder().decode(payload))
                        .replace("https://app.tasklane.example/projects/new", "https://evil.example/")
                        .getBytes());
        String flippedByte = (payload.charAt(3) == 'A' ? "B" : "A");
        String unsubscribeToken = email.getHeader("List-Unsubscribe")[0].replaceAll(".*/t/u/([^>]+)>", "$1");
        for (String refused : List.of(
                otherTarget + "." + signature,
                payload.substring(0, 3) + flippedByte + payload.substring(4) + "." + signature,
                payload + "." + signature.substring(0, signature.length() - 2),
                payload,
                unsubscribeToken,
                "not-a-token")) {
            given().redirects()
                    .follow(false)
                    .get(LINKS + "/t/c/" + refused)
                    .then()
                    .statusCode(400)
                    .header("Location", (String) null)
                    .contentType(containsString("text/html"))
                    .body(containsString("not valid"));
        }
        assertFalse(welcomeMessageOf("dl-tamper").getList("timeline.type").contains("clicked"));
    }

    @Test
    void oneClickUnsubscribeStopsFurtherMailOfThatCategoryToThatUser() throws Exception {
        Scenario.trialUser("dl-unsub", "dl-unsub-co")
                .withEmail("unsub@dl.example")
                .withTraits(Map.of("name", "Una Unsub"))
                .signsUp();
        MimeMessage email = awaitEmailTo("unsub@dl.example");
        String unsubscribe = email.getHeader("List-Unsubscribe")[0].replaceAll("^<|>$", "");

        given().get(unsubscribe)
                .then()
                .statusCode(200)
                .body(containsString("“onboarding”"))
                .body(containsString("<form method=\"post\">"));
        asAdmin().get("/api/users/dl-unsub/preferences").then().statusCode(200).body("categories.size()", equalTo(0));

        // What a mailbox provider's unsubscribe button does (RFC 8058), with no cookie and no key.
        given().contentType("application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click")
                .post(unsubscribe)
                .then()
                .statusCode(200)
                .body(containsString("You are unsubscribed"));
        given().contentType("application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click")
                .post(unsubscribe)
                .then()
                .statusCode(200);
        asAdmin()
                .get("/api/users/dl-unsub/preferences")
                .then()
                .statusCode(200)
                .body("categories.onboarding", equalTo(false));
        JsonPath welcome = welcomeMessageOf("dl-unsub");
        assertEquals(
                1,
                welcome.getList("timeline.type").stream()
                        .filter("unsubscribed"::equals)
                        .count(),
                "said twice, recorded once");

        // The next onboarding email to this user is not sent; the in-app nudge of the same rule still is.
        track("dl-unsub", "Project Created", "dl-unsub-co", "dl-unsub-project").statusCode(200);
        await().atMost(PATIENCE)
                .untilAsserted(() -> asAdmin()
                        .queryParam("userId", "dl-unsub")
                        .queryParam("rule", "invite-teammates")
                        .queryParam("channel", "email")
                        .get("/api/messages")
                        .then()
                        .statusCode(200)
                        .body("items.size()", equalTo(1))
                        .body("items[0].status", equalTo("suppressed"))
                        .body("items[0].error", equalTo("the user unsubscribed from 'onboarding' emails")));
        assertEquals(1, emailsTo("unsub@dl.example").size(), "only the welcome email arrived");
    }

    @Test
    void theUnsubscribePageCanStopAllEmailAndOnlyAButtonPressDoes() throws Exception {
        Scenario.trialUser("dl-all", "dl-all-co")
                .withEmail("all@dl.example")
                .withTraits(Map.of("name", "Al All"))
                .signsUp();
        String unsubscribe =
                awaitEmailTo("all@dl.example").getHeader("List-Unsubscribe")[0].replaceAll("^<|>$", "");
        given().get(unsubscribe).then().statusCode(200);
        given().get(unsubscribe).then().statusCode(200);
        assertFalse(
                welcomeMessageOf("dl-all").getList("timeline.type").contains("unsubscribed"),
                "looking at the page changes nothing");

        given().contentType("application/x-www-form-urlencoded")
                .body("scope=all")
                .post(unsubscribe)
                .then()
                .statusCode(200)
                .body(containsString("You will no longer receive email from us."));
        JsonPath welcome = welcomeMessageOf("dl-all");
        assertTrue(welcome.getList("timeline.detail").contains("from all email"));

        track("dl-all", "Project Created", "dl-all-co", "dl-all-project").statusCode(200);
        await().atMost(PATIENCE)
                .untilAsserted(() -> asAdmin()
                        .queryParam("userId", "dl-all")
                        .queryParam("rule", "invite-teammates")
                        .queryParam("channel", "email")
                        .get("/api/messages")
                        .then()
                        .statusCode(200)
                        .body("items[0].status", equalTo("suppressed"))
                        .body("items[0].error", equalTo("the address is on the suppression list")));
    }

    @Test
    void aLineBreakInDataCannotAddAHeaderOrARecipient() throws Exception {
        Scenario.trialUser("dl-inject", "dl-inject-co")
                .withEmail("inject@dl.example")
                .withTraits(Map.of("firstName", "Eve\r\nBcc: mallory@evil.example\r\nX-Injected: yes"))
                .signsUp();
        MimeMessage email = awaitEmailTo("inject@dl.example");
        assertNull(email.getHeader("Bcc"));
        assertNull(email.getHeader("X-Injected"));
        assertEquals(
                "Welcome to Tasklane, Eve Bcc: mallory@evil.example X-Injected: yes: your first project is one click away",
                email.getSubject());

        // An address with a line break is not an address: ingestion does not take it, so nothing is sent.
        Scenario.trialUser("dl-inject-address", "dl-inject-address-co")
                .withEmail("victim@dl.example\r\nBcc: mallory@evil.example")
                .withTraits(Map.of("name", "Vic"))
                .signsUp();
        await().atMost(PATIENCE)
                .untilAsserted(() -> asAdmin()
                        .queryParam("userId", "dl-inject-address")
                        .queryParam("channel", "email")
                        .get("/api/messages")
                        .then()
                        .statusCode(200)
                        .body("items[0].status", equalTo("failed"))
                        .body("items[0].error", equalTo("the user has no email address")));
        assertEquals(List.of(), emailsTo("mallory@evil.example"));
    }

    @Test
    void anEmailWaitsWhileTheSmtpServerIsDownAndGoesOutOnceWhenItIsBack() throws Exception {
        SMTP.stop();
        try {
            Scenario.trialUser("dl-down", "dl-down-co")
                    .withEmail("down@dl.example")
                    .withTraits(Map.of("name", "Dot Down"))
                    .signsUp();
            await().atMost(PATIENCE)
                    .untilAsserted(() -> assertTrue(
                            welcomeMessageOf("dl-down").getList("timeline.type").contains("attempt_failed")));
            assertEquals("queued", welcomeMessageOf("dl-down").getString("status"));
        } finally {
            TestSmtp.start(SMTP);
        }
        long id = welcomeMessageIdOf("dl-down");
        // Sent and gone from the outbox: no sender can pick the message up again, so what the
        // mailbox holds from then on is final, and it must be exactly one copy.
        await().atMost(PATIENCE)
                .until(() -> "sent".equals(welcomeMessageOf("dl-down").getString("status")) && !inOutbox(id));
        assertEquals(1, emailsTo("down@dl.example").size(), "delivered once");
        JsonPath message = welcomeMessageOf("dl-down");
        assertEquals("sent", message.getString("status"));
        assertEquals(
                1,
                message.getList("timeline.type").stream().filter("sent"::equals).count());
        assertTrue(message.getInt("attempts") >= 2, "at least one failed attempt before the one that went out");
    }

    @Test
    void aRecipientTheServerRefusesForGoodFailsTheMessageAndIsNeverMailedAgain() throws Exception {
        SMTP.stop();
        try (var server = new RecipientRejectingSmtpServer(TestSmtp.PORT, "bounce.example")) {
            Scenario.trialUser("dl-bounce", "dl-bounce-co")
                    .withEmail("nobody@bounce.example")
                    .withTraits(Map.of("name", "No Body"))
                    .signsUp();
            await().atMost(PATIENCE)
                    .untilAsserted(() ->
                            assertEquals("failed", welcomeMessageOf("dl-bounce").getString("status")));
            // A connection kept open to the stopped server may fail first, and that try is retried;
            // the 550 itself is answered once and never asked again.
            assertEquals(1, server.timesRefusedForGood("nobody@bounce.example"), "a permanent failure is not retried");
        } finally {
            TestSmtp.start(SMTP);
        }
        JsonPath message = welcomeMessageOf("dl-bounce");
        assertTrue(message.getString("error").startsWith("SMTP 550"), message.getString("error"));
        List<String> timeline = message.getList("timeline.type");
        assertEquals(List.of("failed", "bounced"), timeline.subList(timeline.size() - 2, timeline.size()));
        assertEquals(
                message.getInt("attempts"),
                timeline.size() - 1,
                "one timeline entry for each attempt, then the bounce");
        // The bounce is an event of the recipient too, with the server's reason.
        await().atMost(PATIENCE)
                .untilAsserted(() -> asAdmin()
                        .get("/api/accounts/dl-bounce-co/events")
                        .then()
                        .statusCode(200)
                        .body(
                                "items.find { it.name == 'kizuna.email.bounced' }.payload.properties.reason",
                                startsWith("SMTP 550"))
                        .body(
                                "items.find { it.name == 'kizuna.email.bounced' }.payload.properties.rule",
                                equalTo("welcome-new-workspace")));

        track("dl-bounce", "Project Created", "dl-bounce-co", "dl-bounce-project")
                .statusCode(200);
        await().atMost(PATIENCE)
                .untilAsserted(() -> asAdmin()
                        .queryParam("userId", "dl-bounce")
                        .queryParam("rule", "invite-teammates")
                        .queryParam("channel", "email")
                        .get("/api/messages")
                        .then()
                        .statusCode(200)
                        .body("items[0].status", equalTo("suppressed"))
                        .body("items[0].error", equalTo("the address is on the suppression list")));
    }

    @Test
    void theEmailsOfASetAreRecordedAsSentAsTheyGoWhileAnotherOfTheSetIsHeldUp() throws Exception {
        SMTP.stop();
        try (var server = new StallingSmtpServer(TestSmtp.PORT, "held@dl.example")) {
            // One request, so that the four welcome emails are decided together and sent as one set, the held one
            // first.
            List<String> users = List.of("dl-held", "dl-set-1", "dl-set-2", "dl-set-3");
            List<Map<String, Object>> calls = new ArrayList<>();
            for (String user : users) {
                String address = user.equals("dl-held") ? "held@dl.example" : user + "@dl.example";
                calls.add(Map.of("type", "identify", "userId", user, "traits", Map.of("email", address, "name", user)));
                calls.add(Map.of(
                        "type",
                        "group",
                        "userId",
                        user,
                        "groupId",
                        user + "-co",
                        "traits",
                        Map.of("name", user, "plan", "trial")));
                calls.add(Map.of(
                        "type",
                        "track",
                        "userId",
                        user,
                        "event",
                        "Signed Up",
                        "messageId",
                        user + "-signup",
                        "context",
                        Map.of("groupId", user + "-co")));
            }
            SegmentCalls.batch(calls).statusCode(200);
            assertTrue(server.awaitStalled(PATIENCE.toSeconds()), "the held email reached the server");

            // Before the mailer gives up waiting for the held one (kizuna.smtp.timeout, 10 s): it is still under way.
            await().atMost(Duration.ofSeconds(8))
                    .untilAsserted(() -> assertEquals(
                            List.of("sent", "sent", "sent"),
                            users.subList(1, 4).stream()
                                    .map(user -> welcomeMessageOf(user).getString("status"))
                                    .toList(),
                            "the others are recorded as sent while the first of their set is still under way"));
            assertEquals(
                    "queued",
                    welcomeMessageOf("dl-held").getString("status"),
                    "the held email is not recorded before the server took it");

            server.release();
            await().atMost(PATIENCE)
                    .until(() -> "sent".equals(welcomeMessageOf("dl-held").getString("status")));
            assertEquals(
                    1,
                    server.delivered().stream()
                            .filter("held@dl.example"::equals)
                            .count(),
                    "sent once");
        } finally {
            TestSmtp.start(SMTP);
        }
    }

    @Test
    void aMessageRecordsTheSegmentVariantItWasRenderedFromAndEngagementIsCountedByIt() {
        Scenario.trialUser("dl-variant", "dl-variant-co")
                .withEmail("variant@dl.example")
                .withTraits(Map.of("name", "Vera Variant"))
                .inAccountNamed("Variant Co")
                .withAccountTraits(Map.of("arr", 12000))
                .identifies()
                .joinsTheAccount()
                .tracks("Project Created", "dl-variant-project");
        await().atMost(PATIENCE)
                .untilAsserted(() -> asAdmin()
                        .queryParam("userId", "dl-variant")
                        .queryParam("rule", "invite-teammates")
                        .queryParam("channel", "email")
                        .get("/api/messages")
                        .then()
                        .statusCode(200)
                        .body("items[0].variant", equalTo("low-touch")));
        asAdmin()
                .queryParam("rule", "invite-teammates")
                .queryParam("channel", "email")
                .get("/api/reports/engagement")
                .then()
                .statusCode(200)
                .body(
                        "rows.find { it.variant == 'low-touch' }.messages",
                        org.hamcrest.Matchers.greaterThanOrEqualTo(1));
    }

    // --- helpers -------------------------------------------------------------------------------

    /** The welcome email's message, with its timeline. */
    private static JsonPath welcomeMessageOf(String userId) {
        Response detail = asAdmin().get("/api/messages/" + welcomeMessageIdOf(userId));
        detail.then().statusCode(200);
        return detail.jsonPath();
    }

    private static long welcomeMessageIdOf(String userId) {
        return asAdmin()
                .queryParam("userId", userId)
                .queryParam("rule", "welcome-new-workspace")
                .queryParam("channel", "email")
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("items[0].id");
    }

    /** Whether the message still waits in the outbox, where a sender could pick it up. */
    private boolean inOutbox(long messageId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query =
                        connection.prepareStatement("select count(*) from outbox where message_id = ?")) {
            query.setLong(1, messageId);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1) > 0;
            }
        }
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

    private static MimeMessage awaitEmailTo(String address) {
        return await().atMost(PATIENCE)
                .until(() -> emailsTo(address), list -> !list.isEmpty())
                .get(0);
    }

    private static String htmlOf(MimeMessage email) throws Exception {
        return (String) ((Multipart) email.getContent()).getBodyPart(1).getContent();
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertTrue(matcher.find(), pattern + " in " + text);
        return matcher.group(1);
    }
}
