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
 * PostgreSQL, refreshes their profiles (which stores them), fires twenty scheduled rules together
 * by hand, as when they come due at the same time, and follows the firings through
 * {@code GET /api/rules/{id}/runs} and {@code GET /api/profiles/refreshes}.
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
     * First a profile refresh, given twice the time allowed to finish: it finds the generated
     * accounts without stored profiles and stores them, as the first refresh after an import
     * does, so that the firings after it find the accounts in steady state. Then two sets of
     * twenty rules, each fired twice together: the first firing makes the rules' first decisions,
     * the second finds them made, as every later firing does, and is followed over the accounts
     * the first got through. In the first set some rules have no audience, so its firings read
     * every account; every rule of the second is aimed at trial accounts, so its firings read the
     * stored members of that segment only. With {@code secondInstance}, a third firing of the
     * first set is swept by the instance and a second one started for it, on the same database,
     * over the same accounts. A firing still running when its share of the time is up is measured
     * by the accounts it got through, the time for all of them projected from that rate, and its
     * remaining pages are dropped.
     */
    List<BenchmarkReport.Figure> measure(int accounts, Duration allowed, Callable<AutoCloseable> secondInstance)
            throws Exception {
        List<String> rules = new ArrayList<>();
        List<String> aimed = new ArrayList<>();
        for (int i = 1; i <= BenchmarkRules.SCHEDULED; i++) {
            rules.add(BenchmarkRules.ruleId(i));
            aimed.add(BenchmarkRules.aimedRuleId(i));
        }
        Duration share = allowed.multipliedBy(4).dividedBy(10);
        Followed refresh = follow(Firing.REFRESH, allowed.multipliedBy(2), Long.MAX_VALUE);
        Followed first = follow(new Firing(rules), share, Long.MAX_VALUE);
        Followed steady = follow(new Firing(rules), share, first.accountsSeen());
        Followed aimedFirst = follow(new Firing(aimed), share, Long.MAX_VALUE);
        Followed aimedSteady = follow(new Firing(aimed), share, aimedFirst.accountsSeen());
        String aimedAt = "aimed at '" + BenchmarkRules.AIMED_AT + "'";
        List<BenchmarkReport.Figure> figures = new ArrayList<>();
        figures.addAll(figures("profile refresh, first (profiles stored)", refresh, accounts, 0));
        figures.addAll(figures("sweep, every account, first decisions", first, accounts, rules.size()));
        figures.addAll(figures("sweep, every account, steady state", steady, accounts, rules.size()));
        figures.addAll(figures("sweep, " + aimedAt + ", first decisions", aimedFirst, accounts, aimed.size()));
        figures.addAll(figures("sweep, " + aimedAt + ", steady state", aimedSteady, accounts, aimed.size()));
        if (secondInstance != null) {
            try (AutoCloseable second = secondInstance.call()) {
                Followed shared = follow(new Firing(rules), share, first.accountsSeen());
                figures.addAll(
                        figures("sweep, every account, steady state, two instances", shared, accounts, rules.size()));
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

    /** What is fired: rules together, or a profile refresh (no rules). */
    private record Firing(List<String> rules) {

        static final Firing REFRESH = new Firing(List.of());

        boolean refresh() {
            return rules.isEmpty();
        }
    }

    private record Followed(
            String firingId,
            boolean complete,
            long accountsSeen,
            long accountsTotal,
            double seconds,
            long decisions,
            long ruleDecisions) {}

    /** Fires the rules and follows the firing until it ends, the time is up or it has swept {@code enough} accounts. */
    private Followed follow(Firing firing, Duration allowed, long enough) throws Exception {
        HttpResponse<String> started = firing.refresh()
                ? kizuna.postJsonAsAdmin("/api/profiles/refresh", "{}")
                : kizuna.postJsonAsAdmin("/api/rules/run", JSON.writeValueAsString(Map.of("rules", firing.rules())));
        if (started.statusCode() != 202) {
            throw new AssertionError("the firing was answered " + started.statusCode() + ": " + started.body());
        }
        String firingId = JSON.readTree(started.body()).get("firingId").asText();
        long begun = System.nanoTime();
        long deadline = begun + allowed.toNanos();
        JsonNode run = run(firing, firingId);
        while (run.get("finishedAt").isNull()
                && System.nanoTime() < deadline
                && run.get("accountsSeen").asLong() < enough) {
            // A hand-written poll on purpose: running out of time ends the measurement with a partial figure, not a
            // failure.
            Thread.sleep(500);
            run = run(firing, firingId);
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
        long accountsTotal = run.get("accountsTotal").asLong();
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
                            + "' and (rule_id like 'benchmark-sweep-%' or rule_id like 'benchmark-aimed-%')");
            return new Followed(firingId, complete, accountsSeen, accountsTotal, seconds, decisions, ruleDecisions);
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

    /**
     * The time for the whole job, {@code accounts} × {@code rules} (every account recomputed for a
     * refresh), and the rates. A firing aimed at some segments reads only their members: the
     * accounts outside are settled by the join, unread, and counted in the job all the same.
     */
    private static List<BenchmarkReport.Figure> figures(String name, Followed firing, int accounts, int rules) {
        double accountsPerSecond = firing.accountsSeen() / firing.seconds();
        double timeForAll = firing.complete() ? firing.seconds() : firing.accountsTotal() / accountsPerSecond;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("firing", firing.firingId());
        details.put("accounts", accounts);
        details.put("rules", rules);
        details.put("accountsToRead", firing.accountsTotal());
        details.put("accountsSwept", firing.accountsSeen());
        details.put("accountsPerSecond", accountsPerSecond);
        details.put("decisionsWritten", firing.decisions());
        details.put("decisionsOfTheScheduledRules", firing.ruleDecisions());
        details.put("measuredSeconds", firing.seconds());
        details.put("complete", firing.complete());
        String scope = rules == 0
                ? String.format("%,d accounts%s", accounts, firing.complete() ? "" : " (projected)")
                : String.format(
                        "%,d accounts × %d rules, %,d read%s",
                        accounts, rules, firing.accountsTotal(), firing.complete() ? "" : " (projected)");
        List<BenchmarkReport.Figure> figures = new ArrayList<>();
        figures.add(new BenchmarkReport.Figure(
                name + ": " + scope,
                "s",
                timeForAll,
                null,
                rules == 0 ? "" : "<= 60 s",
                rules == 0 || timeForAll <= 60,
                details));
        if (rules > 0) {
            double evaluationsPerSecond = (double) accounts * rules / timeForAll;
            figures.add(new BenchmarkReport.Figure(
                    name + ": rule evaluations/s (accounts × rules / time)",
                    "evaluations/s",
                    evaluationsPerSecond,
                    null,
                    ">= 333,000",
                    evaluationsPerSecond >= 333_000,
                    Map.of("accountsReadPerSecond", accountsPerSecond)));
        }
        figures.add(new BenchmarkReport.Figure(
                name + ": decisions written/s",
                "decisions/s",
                firing.decisions() / firing.seconds(),
                null,
                "",
                true,
                Map.of("decisions", firing.decisions())));
        return figures;
    }

    private JsonNode run(Firing firing, String firingId) throws Exception {
        String runs = firing.refresh()
                ? "/api/profiles/refreshes?limit=5"
                : "/api/rules/" + firing.rules().get(0) + "/runs?limit=5";
        HttpResponse<String> answer = kizuna.getAsAdmin(runs);
        for (JsonNode run : JSON.readTree(answer.body())) {
            if (run.get("firingId").asText().equals(firingId)) {
                return run;
            }
        }
        throw new AssertionError("firing " + firingId + " is not among " + runs + ": " + answer.body());
    }

    private static long single(Statement sql, String query) throws Exception {
        try (ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }
}
