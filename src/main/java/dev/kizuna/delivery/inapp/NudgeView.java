package dev.kizuna.delivery.inapp;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A nudge as the product fetches it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NudgeView(long id, long messageId, String title, String body, Cta cta, Instant createdAt) {

    public record Cta(String label, String url) {}

    static NudgeView of(Nudge nudge) {
        Cta cta = nudge.ctaLabel == null ? null : new Cta(nudge.ctaLabel, nudge.ctaUrl);
        return new NudgeView(nudge.id, nudge.messageId, nudge.title, nudge.body, cta, nudge.createdAt);
    }
}
