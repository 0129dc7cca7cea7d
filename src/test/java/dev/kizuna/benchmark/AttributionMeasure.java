package dev.kizuna.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kizuna.PackagedKizuna;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attribution over many followed messages: generates them straight in PostgreSQL (messages of
 * the benchmark's goal rule, sent a day ago, each to its own account), has a first pass follow
 * them all (as after an upgrade or a change of goals), then gives one in a hundred of their
 * accounts goal activity (half of them reaching the goal) and times the pass that follows, run
 * through {@code POST /api/reports/attribution/run}.
 */
final class AttributionMeasure {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KizunaClient kizuna;
    private final String database;

    AttributionMeasure(KizunaClient kizuna, String database) {
        this.kizuna = kizuna;
        this.database = database;
    }

    List<BenchmarkReport.Figure> measure(int messages) throws Exception {
        int changed = messages / 100;
        try (Connection db = PackagedKizuna.connect(database);
                Statement sql = db.createStatement()) {
            sql.execute("""
                    insert into message (rule_id, rule_version, account_id, user_id, channel, template_id, locale, status, cause_type,
                                         cause_ref, created_at, goal_window_ends_at)
                    select '%1$s', 'benchmark', 'goal-' || lpad(n::text, 7, '0'), 'goal-user-' || n, 'INAPP', 'help-offer', 'en', 'SENT',
                           'schedule', '%1$s@generated', now() - interval '1 day', now() - interval '1 day' + interval '%2$s'
                      from generate_series(1, %3$d) n""".formatted(BenchmarkRules.GOAL_RULE, BenchmarkRules.GOAL_WITHIN, messages));
            sql.execute("analyze");
            // As after an upgrade or a change of goals: the next pass follows every message again.
            sql.execute("delete from attribution_state");
        }
        Pass first = pass();
        try (Connection db = PackagedKizuna.connect(database);
                Statement sql = db.createStatement()) {
            // The first pass set every message's outcome or window: statistics taken before it would
            // have the next pass scan the whole table for the messages still without a window.
            sql.execute("analyze message");
            sql.execute("""
                    insert into account_milestone (account_id, milestone, reached_at)
                    select 'goal-' || lpad(n::text, 7, '0'), '%s', now() from generate_series(1, %d, 2) n
                    on conflict do nothing""".formatted(BenchmarkRules.GOAL_MILESTONE, changed));
            sql.execute("""
                    insert into goal_activity (account_id, happened_at)
                    select 'goal-' || lpad(n::text, 7, '0'), now() from generate_series(1, %d) n""".formatted(changed));
        }
        Pass incremental = pass();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("followedMessages", messages);
        details.put("accountsWithGoalActivity", changed);
        details.put("examined", incremental.examined());
        details.put("converted", incremental.converted());
        details.put("full", incremental.full());
        details.put("wallSeconds", incremental.wallSeconds());
        Map<String, Object> firstDetails = new LinkedHashMap<>();
        firstDetails.put("examined", first.examined());
        firstDetails.put("full", first.full());
        firstDetails.put("wallSeconds", first.wallSeconds());
        return List.of(
                new BenchmarkReport.Figure(
                        String.format("attribution pass, %,d followed, 1%% of accounts changed", messages),
                        "s",
                        incremental.seconds(),
                        null,
                        "<= 2 s",
                        incremental.seconds() <= 2 && !incremental.full(),
                        details),
                new BenchmarkReport.Figure(
                        String.format("attribution pass over all %,d followed (first)", messages),
                        "s",
                        first.seconds(),
                        null,
                        "",
                        true,
                        firstDetails));
    }

    private record Pass(long examined, long converted, boolean full, double seconds, double wallSeconds) {}

    private Pass pass() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> answer = kizuna.postJsonAsAdmin("/api/reports/attribution/run", "");
        double wall = (System.nanoTime() - started) / 1e9;
        if (answer.statusCode() != 200) {
            throw new AssertionError("the attribution pass was answered " + answer.statusCode() + ": " + answer.body());
        }
        JsonNode pass = JSON.readTree(answer.body());
        return new Pass(
                pass.get("examined").asLong(),
                pass.get("converted").asLong(),
                pass.get("full").asBoolean(),
                pass.get("seconds").asDouble(),
                wall);
    }
}
