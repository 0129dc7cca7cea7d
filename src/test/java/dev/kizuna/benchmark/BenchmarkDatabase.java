package dev.kizuna.benchmark;

import dev.kizuna.PackagedKizuna;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Facts about the benchmark's PostgreSQL, and the statistics upkeep autovacuum would do. */
final class BenchmarkDatabase {

    private final String database;

    BenchmarkDatabase(String database) {
        this.database = database;
    }

    String setting(String name) throws Exception {
        try (Connection db = PackagedKizuna.connect(database);
                Statement statement = db.createStatement();
                ResultSet value = statement.executeQuery("show " + name)) {
            value.next();
            return value.getString(1);
        }
    }

    /**
     * Refreshes the planner's statistics when autovacuum is off (as on some CI machines), as
     * autovacuum would have done by then: tables that grew from empty otherwise keep plans made for
     * empty tables, which no production database would.
     */
    void analyzeUnlessAutovacuum() throws Exception {
        if (!"on".equals(setting("autovacuum"))) {
            try (Connection db = PackagedKizuna.connect(database);
                    Statement statement = db.createStatement()) {
                statement.execute("analyze");
            }
        }
    }

    /**
     * While open, and autovacuum is off, does what its analyzing would: every
     * {@code autovacuum_naptime}, analyzes the tables changed since they were last analyzed by more
     * than {@code autovacuum_analyze_threshold} + {@code autovacuum_analyze_scale_factor} × their
     * rows. Without it, a table that Kizuna fills during a measure (a first sweep stores the
     * profiles of a million accounts) keeps the plans made when it was nearly empty, as no
     * production database with its default settings would.
     */
    AutoCloseable autoanalyzeUnlessAutovacuum() throws Exception {
        if ("on".equals(setting("autovacuum"))) {
            return () -> {};
        }
        long naptimeSeconds;
        try (Connection db = PackagedKizuna.connect(database);
                Statement statement = db.createStatement();
                ResultSet naptime = statement.executeQuery(
                        "select extract(epoch from current_setting('autovacuum_naptime')::interval)")) {
            naptime.next();
            naptimeSeconds = Math.max(1, naptime.getLong(1));
        }
        ScheduledExecutorService autoanalyze = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "benchmark-autoanalyze");
            thread.setDaemon(true);
            return thread;
        });
        autoanalyze.scheduleWithFixedDelay(
                this::analyzeChangedTables, naptimeSeconds, naptimeSeconds, TimeUnit.SECONDS);
        return () -> {
            autoanalyze.shutdownNow();
            autoanalyze.awaitTermination(1, TimeUnit.MINUTES);
        };
    }

    private void analyzeChangedTables() {
        try (Connection db = PackagedKizuna.connect(database);
                Statement statement = db.createStatement()) {
            List<String> changed = new ArrayList<>();
            try (ResultSet tables = statement.executeQuery("""
                    select quote_ident(s.schemaname) || '.' || quote_ident(s.relname)
                      from pg_stat_user_tables s join pg_class c on c.oid = s.relid
                     where s.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
                               + current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0)""")) {
                while (tables.next()) {
                    changed.add(tables.getString(1));
                }
            }
            for (String table : changed) {
                statement.execute("analyze " + table);
            }
        } catch (Exception e) {
            // A run that ends while a table is analyzed, or a table dropped meanwhile: the next round tries again.
            System.out.println("autoanalyze stand-in: " + e.getMessage());
        }
    }
}
