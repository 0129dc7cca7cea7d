package dev.kizuna.accounts;

import java.time.Instant;
import java.util.Map;

/** An account's state as rules and templates read it. */
public record AccountSnapshot(String id, Map<String, Object> traits, Instant firstSeenAt, Map<String, EventStats> events) {}
