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

    /** What Kizuna computed about the account: segments, activation, lifecycle and health. */
    public record Profile(List<String> segments, Map<String, Instant> milestones, Instant activatedAt, String lifecycleStage,
            Integer healthScore, String healthBand) {

        public static final Profile EMPTY = new Profile(List.of(), Map.of(), null, null, null, null);
    }
}
