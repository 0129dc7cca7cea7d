package dev.kizuna.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.PackagedKizuna;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A deployment that already has raw events keeps every one of them, with its id, when migration
 * V12 turns the event table into day partitions. PostgreSQL suite only (on a database of its own);
 * on H2 the migration leaves the table as it is.
 */
class EventTableUpgradeTests {

    static final String DATABASE = "kizuna_partitions_upgrade";

    @Test
    void existingRawEventsMoveIntoTheirDayPartitionsWithTheirIds() throws Exception {
        Assumptions.assumeTrue(
                System.getProperty("quarkus.test.profile", "").contains("postgres"),
                "the event table is partitioned on PostgreSQL only (mvn verify -Ppostgres)");
        PackagedKizuna.freshDatabase(DATABASE);
        migrate("11");
        try (Connection db = PackagedKizuna.connect(DATABASE);
                Statement statement = db.createStatement()) {
            for (String receivedAt :
                    List.of("2025-11-02 23:59:59+00", "2025-11-03 00:00:00+00", "2025-11-03 15:00:00+09")) {
                statement.execute("""
                        insert into event (message_id, type, name, user_id, account_id, payload, occurred_at, received_at)
                        values ('before-%1$s', 'track', 'Exported', 'up-user', 'up-co', '{}', '%1$s', '%1$s')""".formatted(receivedAt));
            }
            statement.execute(
                    "delete from event where message_id = 'before-2025-11-03 15:00:00+09'"); // its id is not given
            // again
        }

        migrate("latest");

        try (Connection db = PackagedKizuna.connect(DATABASE);
                Statement statement = db.createStatement()) {
            assertEquals(
                    List.of(
                            "1 before-2025-11-02 23:59:59+00 event_p20251102",
                            "2 before-2025-11-03 00:00:00+00 event_p20251103"),
                    strings(
                            statement,
                            "select id || ' ' || message_id || ' ' || tableoid::regclass from event order by id"));
            String today = EventPartitions.partitionOf(LocalDate.now(ZoneOffset.UTC));
            String weekAhead =
                    EventPartitions.partitionOf(LocalDate.now(ZoneOffset.UTC).plusDays(EventPartitions.DAYS_AHEAD));
            List<String> partitions = strings(
                    statement, "select inhrelid::regclass::text from pg_inherits where inhparent = 'event'::regclass");
            assertTrue(
                    partitions.containsAll(
                            List.of("event_default", "event_p20251102", "event_p20251103", today, weekAhead)),
                    partitions.toString());
            assertEquals(
                    List.of("event_account", "event_message", "event_name_account", "event_pkey", "event_user"),
                    strings(
                            statement,
                            "select indexname from pg_indexes where tablename = 'event' order by indexname"));
            assertEquals(List.of("4"), strings(statement, """
                    insert into event (message_id, type, payload, occurred_at, received_at)
                    values ('after', 'track', '{}', now(), now()) returning id"""));
        }
    }

    private static void migrate(String target) {
        Flyway.configure()
                .dataSource(PackagedKizuna.SERVER + DATABASE, "postgres", "")
                .locations("classpath:db/migration")
                .target(target)
                .load()
                .migrate();
    }

    private static List<String> strings(Statement statement, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
