package dev.kizuna.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The rules folder of the benchmarked instance: the sample rules (segments, activation, health
 * and every sample rule, so that events meet the real rule set), plus an in-app rule for each
 * event of the just-in-time measure and two sets of twenty scheduled rules for the sweep: one in
 * which some rules have no audience (so their firing reads every account), one in which every
 * rule is aimed at trial accounts (so its firing reads their stored members only). The scheduled
 * rules' cron never comes due during a run: the benchmark fires them by hand.
 */
final class BenchmarkRules {

    static final int SCHEDULED = 20;
    /** A rule whose goal the attribution measure follows on generated messages (never due: its messages are generated). */
    static final String GOAL_RULE = "benchmark-goal";

    static final String GOAL_MILESTONE = "invited_teammate";
    static final String GOAL_WITHIN = "14 days";

    /**
     * Conditions of different weight, over the state the generated accounts have, each true for
     * a few percent of them (about 1–5 %), as rules that pick out a target group are.
     */
    private static final List<String> CONDITIONS = List.of(
            "count('Task Completed') >= 98",
            "count_in_last('Logged In', 30) == 0 && days_since_signup() > 80",
            "account.plan == 'team' && count('Project Created') == 0",
            "account.health.score != null && account.health.score < 5",
            "count('Logged In') > 95 && count('Task Completed') < 40");

    private static final List<String> AUDIENCES = List.of("", "[tech-touch]", "[tech-touch, low-touch]", "[trial]");

    /** The segment every rule of the second set is aimed at: a quarter of the generated accounts are trials. */
    static final String AIMED_AT = "trial";

    private BenchmarkRules() {}

    static Path write(Path folder) throws IOException {
        Files.createDirectories(folder);
        try (Stream<Path> samples = Files.list(Path.of("rules"))) {
            for (Path sample : samples.filter(Files::isRegularFile).toList()) {
                Files.copy(
                        sample,
                        folder.resolve(sample.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(folder.resolve("benchmark-ping.yaml"), """
                name: Benchmark nudge on every ping
                description: One in-app nudge for each user's first ping, decided just in time.
                trigger:
                  event: %s
                actions:
                  - channel: inapp
                    template: help-offer
                limits:
                  once_per: user
                  quiet_hours: false
                """.formatted(JustInTimeMeasure.EVENT));
        Files.writeString(folder.resolve(GOAL_RULE + ".yaml"), """
                name: Benchmark goal
                description: The rule of the attribution measure's generated messages.
                trigger:
                  schedule:
                    cron: "0 0 3 1 1 ? 2099"
                actions:
                  - channel: inapp
                    template: help-offer
                goal:
                  milestone: %s
                  within: 14d
                """.formatted(GOAL_MILESTONE));
        for (int i = 1; i <= SCHEDULED; i++) {
            writeScheduled(folder, ruleId(i), i, AUDIENCES.get(i % AUDIENCES.size()));
            writeScheduled(folder, aimedRuleId(i), i, "[" + AIMED_AT + "]");
        }
        return folder;
    }

    private static void writeScheduled(Path folder, String ruleId, int i, String audience) throws IOException {
        Files.writeString(folder.resolve(ruleId + ".yaml"), """
                    name: Benchmark %s
                    description: A scheduled rule of the sweep measure.
                    trigger:
                      schedule:
                        cron: "0 0 3 1 1 ? 2099"
                    %scondition: "%s"
                    actions:
                      - channel: inapp
                        template: help-offer
                    limits:
                      once_per: account
                    """.formatted(
                        ruleId,
                        audience.isEmpty() ? "" : "audience: " + audience + "\n",
                        CONDITIONS.get(i % CONDITIONS.size())));
    }

    /** A rule of the first set, some of which have no audience. */
    static String ruleId(int i) {
        return String.format("benchmark-sweep-%02d", i);
    }

    /** A rule of the second set, each aimed at {@link #AIMED_AT}. */
    static String aimedRuleId(int i) {
        return String.format("benchmark-aimed-%02d", i);
    }
}
