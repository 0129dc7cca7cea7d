package dev.kizuna.templates;

import freemarker.template.utility.StringUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What Japan's Act on Regulation of Transmission of Specified Electronic Mail (特定電子メール法)
 * asks every commercial email to carry, looked for in the email as rendered: a way to refuse
 * further email (the unsubscribe link), the sender's name, postal address, and a contact for
 * complaints and enquiries. The statement that the recipient may refuse is wording the template
 * writes next to the link; it is not looked for.
 */
public final class CommercialEmailCheck {

    /** An item the law asks for, in English and in the law's words, and the key that configures it (none: the link). */
    public enum Item {
        UNSUBSCRIBE_LINK("unsubscribe_link", "an unsubscribe link", "受信拒否の通知先", null),
        SENDER_NAME("sender_name", "the sender's name", "送信者の氏名又は名称", "kizuna.mail.sender.name"),
        POSTAL_ADDRESS("postal_address", "the sender's postal address", "住所", "kizuna.mail.sender.postal-address"),
        CONTACT("contact", "a contact for complaints and enquiries", "苦情・問合せ先", "kizuna.mail.sender.contact");

        private final String code;
        private final String english;
        private final String japanese;
        private final String key;

        Item(String code, String english, String japanese, String key) {
            this.code = code;
            this.english = english;
            this.japanese = japanese;
            this.key = key;
        }

        public String code() {
            return code;
        }

        /** The item of a code a message recorded; empty for a code no longer known. */
        public static Optional<Item> ofCode(String code) {
            return Arrays.stream(values())
                    .filter(item -> item.code.equals(code))
                    .findFirst();
        }

        /** The key of the template's {@code sender} that holds the item: sender.name, sender.postal_address, sender.contact. */
        String modelKey() {
            return this == SENDER_NAME ? "name" : code;
        }

        /** "the sender's postal address (住所)". */
        public String describe() {
            return english + " (" + japanese + ")";
        }
    }

    private CommercialEmailCheck() {}

    /**
     * The items the email lacks: the unsubscribe URL, and each of the sender's name, postal
     * address and contact as given to the template, must appear in its text or HTML part. An item
     * with no value configured is missing too.
     */
    public static List<Item> missing(RenderedEmail email, Map<String, String> sender, String unsubscribeUrl) {
        List<Item> missing = new ArrayList<>();
        if (unsubscribeUrl == null || !appears(email, unsubscribeUrl)) {
            missing.add(Item.UNSUBSCRIBE_LINK);
        }
        for (Item item : List.of(Item.SENDER_NAME, Item.POSTAL_ADDRESS, Item.CONTACT)) {
            String value = sender.get(item.modelKey());
            if (value == null || !appears(email, value)) {
                missing.add(item);
            }
        }
        return missing;
    }

    /**
     * One line for people, in English with the law's words: "特定電子メール法 (Japan): a commercial
     * email must show the sender's postal address (住所) (set kizuna.mail.sender.postal-address or
     * sender.postal_address in template.yaml, and show ${sender.postal_address} in the footer)".
     */
    public static String describe(List<Item> missing) {
        return "特定電子メール法 (Japan's Act on Specified Electronic Mail): a commercial email must show "
                + missing.stream()
                        .map(item -> item.describe()
                                + (item.key == null
                                        ? " (${unsubscribe_url} in the footer)"
                                        : " (set " + item.key + " or sender in template.yaml, and show ${sender."
                                                + item.modelKey() + "} in the footer)"))
                        .collect(Collectors.joining("; "));
    }

    /** In the text, or in the HTML as written or as FreeMarker's HTML output format escapes it. */
    private static boolean appears(RenderedEmail email, String value) {
        return email.text().contains(value)
                || email.html().contains(value)
                || email.html().contains(StringUtil.XHTMLEnc(value));
    }
}
