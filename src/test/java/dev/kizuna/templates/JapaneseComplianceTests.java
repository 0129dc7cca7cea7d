package dev.kizuna.templates;

import static dev.kizuna.TestKeys.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.SegmentCalls;
import dev.kizuna.TestFolders;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 特定電子メール法 enforced (kizuna.compliance.jp=enforce) over a copy of the samples with three
 * more templates: a commercial offer with no footer, a transactional receipt with no footer (not
 * commercial: not checked), and a partner offer whose template.yaml names its own sender. The
 * samples' footers show every item in English and Japanese.
 */
@QuarkusTest
@TestProfile(JapaneseComplianceTests.Enforced.class)
class JapaneseComplianceTests {

    public static class Enforced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path root = TestFolders.copyOfSamples("kizuna-compliance");
                Path templates = root.resolve("templates");
                email(
                        templates,
                        "bare-offer",
                        "category: product\n",
                        "<p>Our new plan is out.</p>",
                        "Our new plan is out.");
                email(
                        templates,
                        "receipt",
                        "category: transactional\n",
                        "<p>Thank you for your payment.</p>",
                        "Thank you for your payment.");
                email(
                        templates,
                        "partner-offer",
                        """
                        category: product
                        sender:
                          name: Partner KK
                          postal_address: 〒530-0001 大阪府大阪市北区梅田1-1-1
                          contact: https://partner.example/contact
                        """,
                        "<#import \"/layouts/email.ftlh\" as layout>\n<@layout.page title=\"Offer\"><p>An offer from our partner.</p></@layout.page>",
                        "An offer from our partner.\n\n<#include \"/partials/footer.ftl\">");
                Path rules = root.resolve("rules");
                for (String template : List.of("bare-offer", "receipt", "partner-offer")) {
                    Files.writeString(
                            rules.resolve(template + ".yaml"),
                            "trigger:\n  event: Tried " + template + "\nactions:\n  - channel: email\n"
                                    + "    template: " + template + "\n");
                }
                return Map.of(
                        "kizuna.rules.dir",
                        rules.toString(),
                        "kizuna.templates.dir",
                        templates.toString(),
                        "kizuna.compliance.jp",
                        "enforce");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void email(Path templates, String id, String metadata, String html, String text)
                throws IOException {
            Path folder = Files.createDirectories(templates.resolve(id));
            Files.writeString(folder.resolve("template.yaml"), metadata);
            Files.writeString(folder.resolve("subject.ftl"), "News");
            Files.writeString(folder.resolve("html.ftlh"), html);
            Files.writeString(folder.resolve("text.ftl"), text);
        }
    }

    @Test
    void theSampleFootersShowAllFiveItemsInEnglishAndJapanese() {
        identify("jc-en", "en");
        identify("jc-ja", "ja");

        JsonPath english = preview("welcome", "jc-en");
        assertEquals(List.of(), english.getList("email.compliance"), "nothing missing");
        String text = english.getString("email.text");
        assertTrue(text.contains("Tasklane Inc. sends you this email"), "(1) the sender's name: " + text);
        assertTrue(text.contains("Unsubscribe: http"), "(2) where to refuse");
        assertTrue(text.contains("You may refuse these emails at any time"), "(3) that the recipient may refuse");
        assertTrue(text.contains("548 Market St, San Francisco, CA 94104, USA"), "(4) the postal address");
        assertTrue(text.contains("Questions or complaints: support@tasklane.example"), "(5) the contact");

        JsonPath japanese = preview("welcome", "jc-ja");
        assertEquals(List.of(), japanese.getList("email.compliance"));
        String html = japanese.getString("email.html");
        assertTrue(html.contains("Tasklane株式会社 よりこのメールをお送りしています"), html);
        assertTrue(html.contains("配信はいつでも停止できます"));
        assertTrue(html.contains(">配信停止</a>"));
        assertTrue(html.contains("〒150-0002 東京都渋谷区渋谷2-24-12"));
        assertTrue(
                html.contains("お問い合わせ・苦情: support@tasklane.example"), "the contact falls back to the default sender's");
    }

    @Test
    void aCommercialTemplateWithoutTheItemsIsAProblemOfTheTemplatesFolder() {
        JsonPath list =
                asAdmin().get("/api/templates").then().statusCode(200).extract().jsonPath();
        List<String> files = list.getList("problems.file");
        List<String> messages = list.getList("problems.message");
        assertEquals(
                List.of("bare-offer/html.ftlh", "bare-offer/html.ftlh"),
                files,
                "the offer, in en and ja; the samples, the receipt and the partner's offer pass");
        assertTrue(messages.get(0).startsWith("in locale en: 特定電子メール法"), messages.get(0));
        assertTrue(messages.get(1).startsWith("in locale ja: 特定電子メール法"), messages.get(1));
        for (String item : List.of(
                "an unsubscribe link (受信拒否の通知先)",
                "the sender's name (送信者の氏名又は名称)",
                "the sender's postal address (住所)",
                "a contact for complaints and enquiries (苦情・問合せ先)")) {
            assertTrue(messages.get(0).contains(item), item);
        }

        identify("jc-preview", "en");
        assertEquals(
                List.of(
                        "an unsubscribe link (受信拒否の通知先)",
                        "the sender's name (送信者の氏名又は名称)",
                        "the sender's postal address (住所)",
                        "a contact for complaints and enquiries (苦情・問合せ先)"),
                preview("bare-offer", "jc-preview").getList("email.compliance"));
        assertNull(preview("receipt", "jc-preview").get("email.compliance"), "a transactional email is not commercial");
    }

    @Test
    void underEnforcementAnEmailLackingAnItemFailsNamingItAndTheOthersGo() {
        JsonPath bare = tried("bare-offer");
        assertEquals("failed", bare.getString("items[0].status"));
        String error = bare.getString("items[0].error");
        assertTrue(
                error.startsWith(
                        "not sent: 特定電子メール法 (Japan's Act on Specified Electronic Mail): a commercial email must show "
                                + "an unsubscribe link (受信拒否の通知先)"),
                error);
        assertTrue(error.endsWith("(kizuna.compliance.jp=enforce)"), error);
        assertEquals(
                List.of("unsubscribe_link", "sender_name", "postal_address", "contact"),
                bare.getList("items[0].compliance.missing"),
                "the message records what the check found");
        JsonPath receipt = tried("receipt");
        assertFalse(
                List.of("failed", "suppressed").contains(receipt.getString("items[0].status")),
                "a receipt is not commercial");
        assertNull(receipt.get("items[0].compliance"), "not checked");
        JsonPath partner = tried("partner-offer");
        assertFalse(List.of("failed", "suppressed").contains(partner.getString("items[0].status")));
        assertEquals(List.of(), partner.getList("items[0].compliance.missing"));

        long partnerId = partner.getLong("items[0].id");
        String partnerText = asAdmin()
                .get("/api/messages/" + partnerId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("bodyText");
        assertTrue(
                partnerText.contains("Partner KK")
                        && partnerText.contains("〒530-0001 大阪府大阪市北区梅田1-1-1")
                        && partnerText.contains("https://partner.example/contact"),
                "the template's own sender: " + partnerText);
    }

    /** A new Japanese user does what the template's rule waits for; the user's messages. */
    private static JsonPath tried(String template) {
        String userId = "jc-send-" + template;
        identify(userId, "ja");
        SegmentCalls.track(userId, "Tried " + template, null, null).statusCode(200);
        return asAdmin()
                .queryParam("userId", userId)
                .queryParam("rule", template)
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static void identify(String userId, String locale) {
        SegmentCalls.identify(userId, Map.of("email", userId + "@compliance.example", "name", "Kei", "locale", locale))
                .statusCode(200);
    }

    private static JsonPath preview(String template, String userId) {
        return asAdmin()
                .contentType("application/json")
                .body(Map.of("userId", userId))
                .post("/api/templates/" + template + "/preview")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
