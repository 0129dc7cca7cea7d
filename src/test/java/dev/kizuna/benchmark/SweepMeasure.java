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
import java.util.concurrent.Callable;

/**
 * The scheduled sweep: generates the accounts (each with a user and event counts) straight in
 * PostgreSQL, fires the twenty scheduled rules together by hand, as when they come due at the
 * same time, and follows the firings through {@code GET /api/rules/{id}/runs}.
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
     * Firings of the twenty rules together (one pass over the accounts for all of them). The
     * first finds the generated accounts without stored profiles and stores them, as a first
     * sweep after an import does; the second finds them in steady state, as every later sweep
     * does, and is followed over the accounts the first got through. With {@code secondInstance},
     * a third firing is swept by the instance and a second one started for it, on the same
     * database, over the same accounts. A firing still running when its share of the time is up
     * is measured by the accounts it got through, the time for all of them projected from that
     * rate, and its remaining pages are dropped.
     */
    List<BenchmarkReport.Figure> measure(int accounts, Duration allowed, Callable<AutoCloseable> secondInstance)
            throws Exception {
        List<String> rules = new ArrayList<>();
        for (int i = 1; i <= BenchmarkRules.SCHEDULED; i++) {
            rules.add(BenchmarkRules.ruleId(i));
        }
        Followed first = follow(rules, allowed.multipliedBy(6).dividedBy(10), Long.MAX_VALUE);
        Followed steady = follow(rules, allowed.multipliedBy(4).dividedBy(10), first.accountsSeen());
        List<BenchmarkReport.Figure> figures = new ArrayList<>();
        figures.addAll(figures("sweep, first (profiles stored)", first, accounts, rules.size()));
        figures.addAll(figures("sweep, steady state", steady, accounts, rules.size()));
        if (secondInstance != null) {
            try (AutoCloseable second = secondInstance.call()) {
                Followed shared = follow(rules, allowed.multipliedBy(4).dividedBy(10), first.accountsSeen());
                figures.addAll(figures("sweep, steady state, two instances", shared, accounts, rules.size()));
                double oneInstance = steady.accountsSeen() / steady.seconds();
                double twoInstances = shared.accountsSeen() / shared.seconds();
                figures.add(new BenchmarkReport.Figure(
                        "sweep, two instances on one firing: time against one instance",
                        "ratio",
                        oneInstance / twoInstances,
                        null,
                        "< 1",
                        twoInstances > oneInstance,
                        Map.of(
                                "accountsPerSecondOneInstance",
                                oneInstance,
                                "accountsPerSecondTwoInstances",
                                twoInstances)));
            }
        }
        return figures;
    }

    private record Followed(
            String firingId, boolean complete, long accountsSeen, double seconds, long decisions, long ruleDecisions) {}

    /** Fires the rules and follows the firing until it ends, the time is up or it has swept {@code enough} accounts. */
    private Followed follow(List<String> rules, Duration allowed, long enough) throws Exception {
        HttpResponse<String> started =
                kizuna.postJsonAsAdmin("/api/rules/run", JSON.writeValueAsString(Map.of("rules", rules)));
        if (started.statusCode() != 202) {
            throw new AssertionError("the firing was answered " + started.statusCode() + ": " + started.body());
        }
        String firingId = JSON.readTree(started.body()).get("firingId").asText();
        long begun = System.nanoTime();
        long deadline = begun + allowed.toNanos();
        JsonNode run = run(rules.get(0), firingId);
        while (run.get("finishedAt").isNull()
                && System.nanoTime() < deadline
                && run.get("accountsSeen").asLong() < enough) {
            // A hand-written poll on purpose: running out of time ends the measurement with a partial figure, not a
            // failure.
            Thread.sleep(500);
            run = run(rules.get(0), firingId);
        }
        boolean complete = !run.get("finishedAt").isNull();
        double seconds = complete
                ? Duration.between(
                                        Instant.parse(run.get("startedAt").asText()),
                                        Instant.parse(run.get("finishedAt").asText()))
                                .toNanos()
                        / 1e9
                : (System.nanoTime() - begun) / 1e9;
        // The accounts swept in the time measured; pages that commit while the rest is dropped are not counted.
        long accountsSeen = run.get("accountsSeen").asLong();
        try (Connection db = PackagedKizuna.connect(database);
                Statement sql = db.createStatement()) {
            if (!complete) {
                dropRemainingPages(sql, firingId);
                sql.executeUpdate("update sweep_firing set finished_at = now() where firing_id = '" + firingId + "'");
            }
            long decisions = single(sql, "select count(*) from message where cause_ref = '" + firingId + "'");
            long ruleDecisions = single(
                    sql,
                    "select count(*) from message where cause_ref = '" + firingId
                            + "' and rule_id like 'benchmark-sweep-%'");
            return new Followed(firingId, complete, accountsSeen, seconds, decisions, ruleDecisions);
        }
    }

    /**
     * Drops the pages of a firing not done yet, so that the next firing starts. The pages not in
     * hand are taken at once (a plain delete would wait for each page in hand and meanwhile let
     * the sweepers claim the next, following them to the end of the firing); then the few in hand
     * once their sweepers commit.
     */
    private static void dropRemainingPages(Statement sql, String firingId) throws Exception {
        String firing = "'" + firingId + "'";
        sql.executeUpdate("delete from sweep_page where firing_id = " + firing + " and done_at is null and ctid in "
                + "(select ctid from sweep_page where firing_id = " + firing
                + " and done_at is null for update skip locked)");
        sql.executeUpdate("delete from sweep_page where firing_id = " + firing);
    }

    private static List<BenchmarkReport.Figure> figures(String name, Followed firing, int accounts, int rules) {
        long evaluations = firing.accountsSeen() * rules;
        double evaluationsPerSecond = evaluations / firing.seconds();
        double timeForAll = firing.complete() ? firing.seconds() : (double) accounts * rules / evaluationsPerSecond;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("firing", firing.firingId());
        details.put("accounts", accounts);
        details.put("rules", rules);
        details.put("accountsSwept", firing.accountsSeen());
        details.put("accountsPerSecond", firing.accountsSeen() / firing.seconds());
        details.put("ruleEvaluations", evaluations);
        details.put("decisionsWritten", firing.decisions());
        details.put("decisionsOfTheScheduledRules", firing.ruleDecisions());
        details.put("shareOfEvaluationsDeciding", evaluations == 0 ? 0 : firing.ruleDecisions() / (double) evaluations);
        details.put("measuredSeconds", firing.seconds());
        details.put("complete", firing.complete());
        String scope =
                String.format("%,d accounts × %d rules%s", accounts, rules, firing.complete() ? "" : " (projected)");
        return List.of(
                new BenchmarkReport.Figure(
                        name + ": " + scope, "s", timeForAll, null, "<= 60 s", timeForAll <= 60, details),
                new BenchmarkReport.Figure(
                        name + ": rule evaluations/s",
                        "evaluations/s",
                        evaluationsPerSecond,
                        null,
                        ">= 333,000",
                        evaluationsPerSecond >= 333_000,
                        Map.of()),
                new BenchmarkReport.Figure(
                        name + ": decisions written/s",
                        "decisions/s",
                        firing.decisions() / firing.seconds(),
                        null,
                        "",
                        true,
                        Map.of("decisions", firing.decisions())));
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
