package dev.kizuna.templates;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A template folder's template.yaml: what it is, its subscription category and sender for email,
 * and for in-app where it shows, where its call to action leads and how long it stays.
 */
public record TemplateMetadata(
        String description,
        String category,
        String from,
        @JsonProperty("cta_url") String ctaUrl,
        String placement,
        @JsonProperty("expires_after") String expiresAfter) {

    static final TemplateMetadata NONE = new TemplateMetadata(null, null, null, null, null, null);

    /** The category an email counts under for subscription preferences when its template names none. */
    public static final String DEFAULT_CATEGORY = "general";

    public String categoryOrDefault() {
        return category == null || category.isBlank() ? DEFAULT_CATEGORY : category;
    }
}
