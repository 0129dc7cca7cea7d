package dev.kizuna.templates;

/** The JSON body of a webhook or Slack message, as rendered when it was decided. */
public record RenderedPost(String body, String locale, String variant) {}
