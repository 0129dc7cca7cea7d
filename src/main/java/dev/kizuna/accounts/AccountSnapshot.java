package dev.kizuna.accounts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An account's state as rules, templates and the API read it. */
public record AccountSnapshot(
        String id,
        String name,
        String plan,
        BigDecimal mrr,
        BigDecimal arr,
        Instant signedUpAt,
        String timezone,
        String locale,
        String ownerCsm,
        Map<String, Object> traits,
        Instant firstSeenAt,
        List<String> userIds,
        Map<String, EventStats> events,
        Profile profile) {

    /** Time-to-value: whole hours from signup to activation, or null while not activated. */
    @com.fasterxml.jackson.annotation.JsonProperty("timeToValueHours")
    public Long timeToValueHours() {
        return profile.activatedAt() == null || signedUpAt == null
                ? null
                : java.time.Duration.between(signedUpAt, profile.activatedAt()).toHours();
    }

    /** What Kizuna computed about the account: segments, activation, lifecycle and health. */
    public record Profile(
            List<String> segments,
            Map<String, Instant> milestones,
            Instant activatedAt,
            String lifecycleStage,
            Integer healthScore,
            String healthBand) {

        public static final Profile EMPTY = new Profile(List.of(), Map.of(), null, null, null, null);

        /** The same facts, whatever the order of the segments. */
        public boolean sameAs(Profile other) {
            return new java.util.HashSet<>(segments).equals(new java.util.HashSet<>(other.segments))
                    && milestones.equals(other.milestones)
                    && java.util.Objects.equals(activatedAt, other.activatedAt)
                    && java.util.Objects.equals(lifecycleStage, other.lifecycleStage)
                    && java.util.Objects.equals(healthScore, other.healthScore)
                    && java.util.Objects.equals(healthBand, other.healthBand);
        }
    }
}
