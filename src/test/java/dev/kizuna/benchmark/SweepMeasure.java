package dev.kizuna.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kizuna.PackagedKizuna;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduled sweep: generates the accounts (each with a user and event counts) straight in
 * PostgreSQL, fires the twenty scheduled rules together by hand, as when they come due at the
 * same time, and follows the firing through {@code GET /api/rules/{id}/runs}. A sweep still
 * running when the time allowed is up is measured by the accounts it got through, and the time
 * for all of them is projected from that rate.
 */
final class SweepMeasure {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KizunaClient kizuna;
    private final String database;

    SweepMeasure(KizunaClient kizuna, String database) {
        this.kizuna = kizuna;
        this.database = database;
    }

    /** Accounts sweep-0000001 … with one user each, a plan, an ARR and counts of three events. */
    double generate(int accounts) throws Exception {
        long started = System.nanoTime();
        try (Connection db = PackagedKizuna.connect(database);
                Statement sql = db.createStatement()) {
            sql.execute("""
                    insert into account (id, traits, first_seen_at, updated_at, plan, mrr, arr, signed_up_at, timezone)
                    select 'sweep-' || lpad(n::text, 7, '0'), '{"name":"Sweep account ' || n || '"}',
                           now() - (n % 90) * interval '1 day', now(),
                           (array['trial', 'starter', 'team', 'business'])[1 + n % 4],
                           (n % 97) * 10, (n % 97) * 120, now() - (n % 90) * interval '1 day', 'Asia/Tokyo'
                      from generate_series(1, ACCOUNTS) n""".replace("ACCOUNTS", Integer.toString(accounts)));
            sql.execute("""
                    insert into app_user (id, email, name, traits, first_seen_at, updated_at)
                    select 'sweep-user-' || n, 'sweep-user-' || n || '@benchmark.example', 'User ' || n, '{}',
                           now() - (n % 90) * interval '1 day', now()
                      from generate_series(1, ACCOUNTS) n""".replace("ACCOUNTS", Integer.toString(accounts)));
            sql.execute("""
                    insert into membership (account_id, user_id, joined_at)
                    select 'sweep-' || lpad(n::text, 7, '0'), 'sweep-user-' || n, now() - (n % 90) * interval '1 day'
                      from generate_series(1, ACCOUNTS) n""".replace("ACCOUNTS", Integer.toString(accounts)));
            sql.execute("""
                    insert into event_aggregate (subject_type, subject_id, event_name, event_count, first_at, last_at)
                    select subject.kind, case subject.kind when 'account' then 'sweep-' || lpad(n::text, 7, '0') else 'sweep-user-' || n end,
                           e.name, 1 + (n * e.factor) % 100, now() - (n % 90) * interval '1 day', now() - (n % 40) * interval '1 day'
                      from generate_series(1, ACCOUNTS) n
                     cross join (values ('Logged In', 7), ('Task Completed', 13), ('Project Created', 3)) e(name, factor)
                     cross join (values ('account'), ('user')) subject(kind)
                     where (n + e.factor) % 5 <> 0""".replace("ACCOUNTS", Integer.toString(accounts)));
            sql.execute("""
                    insert into event_daily (subject_type, subject_id, event_name, event_day, event_count)
                    select 'account', 'sweep-' || lpad(n::text, 7, '0'), 'Logged In', current_date - (n % 40), 1 + n % 5
                      from generate_series(1, ACCOUNTS) n""".replace("ACCOUNTS", Integer.toString(accounts)));
            sql.execute("analyze");
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /**
     * Fires the twenty rules together (one firing, one pass over the accounts), follows it
     * through the runs of one of them and counts the decisions it wrote.
     */
    List<BenchmarkReport.Figure> measure(int accounts, Duration allowed) throws Exception {
        List<String> rules = new ArrayList<>();
        for (int i = 1; i <= BenchmarkRules.SCHEDULED; i++) {
            rules.add(BenchmarkRules.ruleId(i));
        }
        HttpResponse<String> started = kizuna.postJsonAsAdmin("/api/rules/run", JSON.writeValueAsString(Map.of("rules", rules)));
        if (started.statusCode() != 202) {
            throw new AssertionError("the firing was answered " + started.statusCode() + ": " + started.body());
        }
        String firingId = JSON.readTree(started.body()).get("firingId").asText();
        long begun = System.nanoTime();
        long deadline = begun + allowed.toNanos();
        JsonNode run = run(rules.get(0), firingId);
        while (run.get("finishedAt").isNull() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            run = run(rules.get(0), firingId);
        }
        boolean complete = !run.get("finishedAt").isNull();
        long accountsSeen = run.get("accountsSeen").asLong();
        double seconds = complete
                ? Duration.between(Instant.parse(run.get("startedAt").asText()), Instant.parse(run.get("finishedAt").asText())).toNanos() / 1e9
                : (System.nanoTime() - begun) / 1e9;
        long decisions;
        long ruleDecisions;
        try (Connection db = PackagedKizuna.connect(database);
                Statement sql = db.createStatement()) {
            decisions = single(sql, "select count(*) from message where cause_ref = '" + firingId + "'");
            ruleDecisions = single(sql, "select count(*) from message where cause_ref = '" + firingId + "' and rule_id like 'benchmark-sweep-%'");
        }
        long evaluations = accountsSeen * rules.size();
        double evaluationsPerSecond = evaluations / seconds;
        double timeForAll = complete ? seconds : (double) accounts * rules.size() / evaluationsPerSecond;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("accounts", accounts);
        details.put("rules", rules.size());
        details.put("accountsSwept", accountsSeen);
        details.put("accountsPerSecond", accountsSeen / seconds);
        details.put("ruleEvaluations", evaluations);
        details.put("decisionsWritten", decisions);
        details.put("decisionsOfTheScheduledRules", ruleDecisions);
        details.put("shareOfEvaluationsDeciding", evaluations == 0 ? 0 : ruleDecisions / (double) evaluations);
        details.put("measuredSeconds", seconds);
        details.put("complete", complete);
        String scope = String.format("%,d accounts × %d rules%s", accounts, rules.size(), complete ? "" : " (projected)");
        return List.of(
                new BenchmarkReport.Figure("sweep: " + scope, "s", timeForAll, null, "<= 60 s", timeForAll <= 60, details),
                new BenchmarkReport.Figure("sweep: rule evaluations per second", "evaluations/s", evaluationsPerSecond, null,
                        ">= 333,000", evaluationsPerSecond >= 333_000, Map.of()),
                new BenchmarkReport.Figure("sweep: decisions written per second", "decisions/s", decisions / seconds, null, "", true,
                        Map.of("decisions", decisions)));
    }

    private JsonNode run(String ruleId, String firingId) throws Exception {
        HttpResponse<String> runs = kizuna.getAsAdmin("/api/rules/" + ruleId + "/runs?limit=5");
        for (JsonNode run : JSON.readTree(runs.body())) {
            if (run.get("firingId").asText().equals(firingId)) {
                return run;
            }
        }
        throw new AssertionError("firing " + firingId + " is not among the runs of " + ruleId + ": " + runs.body());
    }

    private static long single(Statement sql, String query) throws Exception {
        try (ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }
}
