package dev.kizuna.delivery.inapp;

import java.time.Duration;

/**
 * An in-app nudge exactly as the product will show it, where it shows, and how long it stays
 * ({@code expiresAfter} is null for a nudge that never expires); {@code variant} is the segment whose
 * variant was used, null for the template's own.
 */
public record RenderedNudge(
        String title,
        String body,
        String ctaLabel,
        String ctaUrl,
        NudgePlacement placement,
        Duration expiresAfter,
        String locale,
        String variant) {}
