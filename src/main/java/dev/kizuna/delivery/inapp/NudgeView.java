package dev.kizuna.delivery.inapp;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A nudge as the product fetches it, in the list and on the stream alike. Absent fields are
 * left out: no expiresAt means the nudge never expires.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NudgeView(
        long id,
        long messageId,
        String title,
        String body,
        Cta cta,
        String placement,
        String status,
        Instant createdAt,
        Instant expiresAt,
        Instant seenAt,
        Instant clickedAt,
        Instant dismissedAt) {

    public record Cta(String label, String url) {}

    static NudgeView of(Nudge nudge) {
        Cta cta = nudge.ctaLabel == null ? null : new Cta(nudge.ctaLabel, nudge.ctaUrl);
        return new NudgeView(
                nudge.id,
                nudge.messageId,
                nudge.title,
                nudge.body,
                cta,
                nudge.placementOrDefault(),
                nudge.status,
                nudge.createdAt,
                nudge.expiresAt,
                nudge.seenAt,
                nudge.clickedAt,
                nudge.dismissedAt);
    }
}
