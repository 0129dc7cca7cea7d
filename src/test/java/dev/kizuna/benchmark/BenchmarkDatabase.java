package dev.kizuna.benchmark;

import dev.kizuna.PackagedKizuna;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

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
}
