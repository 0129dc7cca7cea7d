package dev.kizuna.templates;

/** An in-app nudge exactly as the product will show it. */
public record RenderedNudge(String title, String body, String ctaLabel, String ctaUrl, String locale) {}
