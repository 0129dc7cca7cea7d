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
        Map<String, EventStats> events) {}
