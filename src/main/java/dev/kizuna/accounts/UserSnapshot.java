package dev.kizuna.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A user's state as rules and templates read it. */
public record UserSnapshot(
        String id,
        String email,
        String name,
        String locale,
        String timezone,
        Map<String, Object> traits,
        Instant firstSeenAt,
        List<String> accountIds,
        Map<String, EventStats> events) {}
