package dev.kizuna.templates;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A template folder's template.yaml: what it is and where its in-app call to action leads. */
record TemplateMetadata(String description, String category, @JsonProperty("cta_url") String ctaUrl) {

    static final TemplateMetadata NONE = new TemplateMetadata(null, null, null);
}
