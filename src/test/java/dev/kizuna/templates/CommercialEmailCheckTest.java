package dev.kizuna.templates;

import static dev.kizuna.templates.CommercialEmailCheck.Item.CONTACT;
import static dev.kizuna.templates.CommercialEmailCheck.Item.POSTAL_ADDRESS;
import static dev.kizuna.templates.CommercialEmailCheck.Item.SENDER_NAME;
import static dev.kizuna.templates.CommercialEmailCheck.Item.UNSUBSCRIBE_LINK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The items of 特定電子メール法 looked for in a rendered email, one by one. */
class CommercialEmailCheckTest {

    private static final String LINK = "https://kizuna.example/t/u/abc";
    private static final Map<String, String> SENDER = Map.of(
            "name",
            "Tasklane株式会社",
            "postal_address",
            "〒150-0002 東京都渋谷区渋谷2-24-12",
            "contact",
            "support@tasklane.example");

    private static RenderedEmail email(String html, String text) {
        return new RenderedEmail("件名", html, text, "ja", null);
    }

    @Test
    void anEmailWithEveryItemLacksNothing() {
        String footer = "Tasklane株式会社 よりお送りしています。配信停止: " + LINK
                + "\n〒150-0002 東京都渋谷区渋谷2-24-12\nお問い合わせ・苦情: support@tasklane.example";
        assertEquals(List.of(), CommercialEmailCheck.missing(email("<p>本文</p>", footer), SENDER, LINK));
    }

    @Test
    void eachItemMissingIsNamed() {
        assertEquals(
                List.of(UNSUBSCRIBE_LINK, SENDER_NAME, POSTAL_ADDRESS, CONTACT),
                CommercialEmailCheck.missing(email("<p>本文</p>", "本文"), SENDER, LINK));
        assertEquals(
                List.of(UNSUBSCRIBE_LINK),
                CommercialEmailCheck.missing(
                        email("<p>Tasklane株式会社 〒150-0002 東京都渋谷区渋谷2-24-12 support@tasklane.example</p>", "本文"),
                        SENDER,
                        LINK));
        assertEquals(
                List.of(SENDER_NAME),
                CommercialEmailCheck.missing(
                        email(
                                "<a href=\"" + LINK + "\">配信停止</a> 〒150-0002 東京都渋谷区渋谷2-24-12 support@tasklane.example",
                                ""),
                        SENDER,
                        LINK));
        assertEquals(
                List.of(POSTAL_ADDRESS),
                CommercialEmailCheck.missing(
                        email("<a href=\"" + LINK + "\">配信停止</a> Tasklane株式会社", "お問い合わせ・苦情: support@tasklane.example"),
                        SENDER,
                        LINK));
        assertEquals(
                List.of(CONTACT),
                CommercialEmailCheck.missing(
                        email("<a href=\"" + LINK + "\">配信停止</a> Tasklane株式会社 〒150-0002 東京都渋谷区渋谷2-24-12", ""),
                        SENDER,
                        LINK));
    }

    @Test
    void anItemWithNoValueConfiguredIsMissingWhateverTheEmailSays() {
        assertEquals(
                List.of(POSTAL_ADDRESS, CONTACT),
                CommercialEmailCheck.missing(
                        email("<a href=\"" + LINK + "\">x</a> Tasklane株式会社", ""),
                        Map.of("name", "Tasklane株式会社"),
                        LINK));
    }

    @Test
    void aValueWithMarkupCharactersIsFoundEscapedInTheHtml() {
        Map<String, String> sender =
                Map.of("name", "Smith & Sons", "postal_address", "1 Main St", "contact", "<help@smith.example>");
        assertEquals(
                List.of(),
                CommercialEmailCheck.missing(
                        email(
                                "<a href=\"" + LINK + "\">u</a> Smith &amp; Sons, 1 Main St, "
                                        + "&lt;help@smith.example&gt;",
                                ""),
                        sender,
                        LINK));
    }

    @Test
    void theDescriptionNamesTheLawTheItemsAndWhereToSetThem() {
        String described = CommercialEmailCheck.describe(List.of(POSTAL_ADDRESS, UNSUBSCRIBE_LINK));
        assertTrue(
                described.startsWith(
                        "特定電子メール法 (Japan's Act on Specified Electronic Mail): a commercial email must show "),
                described);
        assertTrue(
                described.contains(
                        "the sender's postal address (住所) (set kizuna.mail.sender.postal-address or sender in template.yaml, "
                                + "and show ${sender.postal_address} in the footer)"),
                described);
        assertTrue(described.contains("an unsubscribe link (受信拒否の通知先) (${unsubscribe_url} in the footer)"), described);
    }
}
