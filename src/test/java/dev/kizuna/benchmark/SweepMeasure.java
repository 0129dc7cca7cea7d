package dev.kizuna.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kizuna.PackagedKizuna;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scheduled sweep: generates the accounts (each with a user and event counts) straight in
 * PostgreSQL, fires the twenty scheduled rules by hand and follows their firings through
 * {@code GET /api/rules/{id}/runs}. A sweep still running when the time allowed is up is
 * measured by the accounts it got through, and the time for all of them is projected from that rate.
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

    BenchmarkReport.Figure measure(int accounts, Duration allowed) throws Exception {
        Map<String, String> firings = new LinkedHashMap<>();
        for (int i = 1; i <= BenchmarkRules.SCHEDULED; i++) {
            HttpResponse<String> started = kizuna.postAsAdmin("/api/rules/" + BenchmarkRules.ruleId(i) + "/run");
            if (started.statusCode() != 202) {
                throw new AssertionError("firing " + BenchmarkRules.ruleId(i) + " was answered " + started.statusCode() + ": " + started.body());
            }
            firings.put(BenchmarkRules.ruleId(i), JSON.readTree(started.body()).get("firingId").asText());
        }
        long begun = System.nanoTime();
        long deadline = begun + allowed.toNanos();
        Progress progress = progress(firings);
        while (progress.finished < firings.size() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            progress = progress(firings);
        }
        long total = (long) accounts * firings.size();
        boolean complete = progress.finished == firings.size();
        double seconds = complete
                ? Duration.between(progress.firstStart, progress.lastFinish).toNanos() / 1e9
                : (System.nanoTime() - begun) / 1e9;
        double accountsPerSecond = progress.accountsSeen / seconds;
        double timeForAll = complete ? seconds : total / accountsPerSecond;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("accounts", accounts);
        details.put("rules", firings.size());
        details.put("accountEvaluations", progress.accountsSeen);
        details.put("accountEvaluationsPerSecond", accountsPerSecond);
        details.put("measuredSeconds", seconds);
        details.put("complete", complete);
        return new BenchmarkReport.Figure(
                String.format("sweep: %,d accounts × %d rules%s", accounts, firings.size(), complete ? "" : " (projected)"), "s",
                timeForAll, null, "<= 60 s", timeForAll <= 60, details);
    }

    private record Progress(int finished, long accountsSeen, Instant firstStart, Instant lastFinish) {}

    private Progress progress(Map<String, String> firings) throws Exception {
        int finished = 0;
        long seen = 0;
        Instant firstStart = null;
        Instant lastFinish = null;
        for (Map.Entry<String, String> firing : firings.entrySet()) {
            HttpResponse<String> runs = kizuna.getAsAdmin("/api/rules/" + firing.getKey() + "/runs?limit=5");
            for (JsonNode run : JSON.readTree(runs.body())) {
                if (!run.get("firingId").asText().equals(firing.getValue())) {
                    continue;
                }
                seen += run.get("accountsSeen").asLong();
                Instant start = Instant.parse(run.get("startedAt").asText());
                firstStart = firstStart == null || start.isBefore(firstStart) ? start : firstStart;
                if (!run.get("finishedAt").isNull()) {
                    finished++;
                    Instant finish = Instant.parse(run.get("finishedAt").asText());
                    lastFinish = lastFinish == null || finish.isAfter(lastFinish) ? finish : lastFinish;
                }
            }
        }
        return new Progress(finished, seen, firstStart, lastFinish);
    }
}
