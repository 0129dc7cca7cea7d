package dev.kizuna.benchmark.micro;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.EventStats;
import dev.kizuna.accounts.UserSnapshot;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** A trial account and its admin, shaped like the sample rules expect, for the micro benchmarks. */
final class SampleRecipient {

    static final Instant NOW = Instant.parse("2026-03-10T09:00:00Z");

    static final AccountSnapshot ACCOUNT = new AccountSnapshot(
            "acme",
            "Acme",
            "trial",
            null,
            null,
            Instant.parse("2026-03-01T09:00:00Z"),
            "Asia/Tokyo",
            "en",
            null,
            Map.of("plan", "trial", "seats", 5, "industry", "logistics"),
            Instant.parse("2026-03-01T09:00:00Z"),
            List.of("ana"),
            Map.of(
                    "Project Created",
                            new EventStats(
                                    2,
                                    Instant.parse("2026-03-02T09:00:00Z"),
                                    Instant.parse("2026-03-07T09:00:00Z"),
                                    1,
                                    2,
                                    Map.of(LocalDate.parse("2026-03-02"), 1L, LocalDate.parse("2026-03-07"), 1L)),
                    "Logged In",
                            new EventStats(
                                    9,
                                    Instant.parse("2026-03-01T09:00:00Z"),
                                    Instant.parse("2026-03-09T09:00:00Z"),
                                    6,
                                    9,
                                    Map.of(LocalDate.parse("2026-03-09"), 3L))),
            new AccountSnapshot.Profile(
                    List.of("trial", "tech-touch"),
                    Map.of("created_project", Instant.parse("2026-03-02T09:00:00Z")),
                    null,
                    "onboarding",
                    35,
                    "churn_suspected"));

    static final UserSnapshot USER = new UserSnapshot(
            "ana",
            "ana@acme.example",
            "Ana Lima",
            "en",
            "Asia/Tokyo",
            Map.of("role", "admin"),
            Instant.parse("2026-03-01T09:00:00Z"),
            List.of("acme"),
            Map.of());

    private SampleRecipient() {}
}
