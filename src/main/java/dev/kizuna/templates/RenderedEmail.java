package dev.kizuna.templates;

/** An email exactly as it will be sent. */
public record RenderedEmail(String subject, String html, String text, String locale) {}
