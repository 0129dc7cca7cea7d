package dev.kizuna.templates;

/** An email exactly as it will be sent; {@code variant} is the segment whose variant was used, null for the template's own. */
public record RenderedEmail(String subject, String html, String text, String locale, String variant) {}
