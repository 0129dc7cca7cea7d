package dev.kizuna.templates;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A template folder's template.yaml: what it is, its subscription category, whether that needs the
 * recipient's opt-in, and its sender for email, and for in-app where it shows, where its call to action leads and how long it stays.
 */
public record TemplateMetadata(
        String description,
        String category,
        String from,
        @JsonProperty("cta_url") String ctaUrl,
        String placement,
        @JsonProperty("expires_after") String expiresAfter,
        Sender sender,
        @JsonProperty("opt_in") Boolean optIn) {

    static final TemplateMetadata NONE = new TemplateMetadata(null, null, null, null, null, null, null, null);

    /** Whether an email of this template goes only to users whose consent to its category is on record (opt_in: true). */
    public boolean requiresConsent() {
        return Boolean.TRUE.equals(optIn);
    }

    /** This template's sender identity, replacing the configured one key by key (kizuna.mail.sender). */
    public record Sender(
            String name, @JsonProperty("postal_address") String postalAddress, String contact) {}

    /** The category of emails that only do what the recipient asked for (a receipt, a password reset): not commercial. */
    public static final String TRANSACTIONAL = "transactional";

    /** The category of emails to the sender's own team (CSM alerts): not commercial, not to customers. */
    public static final String INTERNAL = "internal";

    /** Whether the law treats this template's email as commercial (特定電子メール, CAN-SPAM's commercial message). */
    public boolean commercial() {
        return !categoryOrDefault().equals(TRANSACTIONAL)
                && !categoryOrDefault().equals(INTERNAL);
    }

    /** The category an email counts under for subscription preferences when its template names none. */
    public static final String DEFAULT_CATEGORY = "general";

    public String categoryOrDefault() {
        return category == null || category.isBlank() ? DEFAULT_CATEGORY : category;
    }
}
