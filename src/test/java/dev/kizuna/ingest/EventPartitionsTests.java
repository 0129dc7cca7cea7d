package dev.kizuna.ingest;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.ScenarioProfile;
import dev.kizuna.TestClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL raw events sit in one partition per UTC day of receipt, made ahead of time, with a
 * default partition for a day that has none; retention drops the days wholly past the cut-off and
 * deletes the rest row by row. PostgreSQL suite only: on H2 the event table is not partitioned.
 */
@QuarkusTest
@TestProfile(ScenarioProfile.class)
class EventPartitionsTests {

    /** Days no other test uses, so that the partitions seen here are this test's. */
    static final Instant MARCH_10 = Instant.parse("2031-03-10T10:00:00Z");

    @Inject
    TestClock clock;

    @Inject
    EventPartitions partitions;

    @Inject
    EventLog events;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void eventsLandInTheirDayPartitionAndRetentionDropsTheDaysPastTheCutOff() throws Exception {
        Assumptions.assumeTrue(
                "postgresql".equals(ConfigProvider.getConfig().getValue("quarkus.datasource.db-kind", String.class)),
                "the event table is partitioned on PostgreSQL only (mvn verify -Ppostgres)");

        clock.set(MARCH_10.minus(Duration.ofDays(5)));
        track("part-march-5"); // before any partition of March 2031 exists
        clock.set(MARCH_10);
        assertEquals(8, partitions.prepareAhead(clock.instant()).size(), "today and the seven days after");
        assertTrue(isPartition("event_p20310317"));
        assertFalse(exists("event_p20310318"));
        track("part-march-10");
        clock.advance(Duration.ofDays(3));
        track("part-march-13");
        clock.advance(Duration.ofDays(17));
        track("part-march-30");

        assertEquals("event_default", partitionHolding("part-march-5"));
        assertEquals("event_p20310310", partitionHolding("part-march-10"));
        assertEquals("event_p20310313", partitionHolding("part-march-13"));
        assertEquals("event_default", partitionHolding("part-march-30"));

        Instant cutoff = Instant.parse("2031-03-13T00:00:00Z");
        long pastCutoff = count("select count(*) from event where received_at < ?", cutoff);
        assertTrue(pastCutoff >= 2, "at least this test's two events of March 5 and 10");
        assertEquals(
                pastCutoff,
                events.purge(cutoff, cutoff.minus(Duration.ofDays(8))),
                "every event past the cut-off, counted");

        assertFalse(exists("event_p20310310"));
        assertFalse(exists("event_p20310312"));
        assertTrue(isPartition("event_p20310313"), "the day the cut-off starts is kept");
        assertNull(partitionHolding("part-march-5"), "gone from the default partition");
        assertNull(partitionHolding("part-march-10"), "gone with its day");
        assertEquals("event_p20310313", partitionHolding("part-march-13"));
        assertEquals(0, count("select count(*) from event where received_at < ?", cutoff));

        // The nightly pass of March 30 makes its day's partition and moves the day's rows out of the default partition.
        assertTrue(partitions.prepareAhead(clock.instant()).contains("event_p20310330"));
        assertEquals("event_p20310330", partitionHolding("part-march-30"));
        asAdmin()
                .get("/api/accounts/part-co/events")
                .then()
                .statusCode(200)
                .body("items.messageId", contains("part-march-30", "part-march-13"));
        track("part-march-30-later");
        assertEquals("event_p20310330", partitionHolding("part-march-30-later"));
    }

    @Test
    void twoInstancesPreparingAndDroppingTheSameDaysAtOnceDoEachOnce() throws Exception {
        Assumptions.assumeTrue(
                "postgresql".equals(ConfigProvider.getConfig().getValue("quarkus.datasource.db-kind", String.class)),
                "the event table is partitioned on PostgreSQL only (mvn verify -Ppostgres)");
        Instant day = Instant.parse("2032-07-01T00:30:00Z");
        ExecutorService instances = Executors.newFixedThreadPool(2);
        try {
            Future<List<String>> first = instances.submit(() -> partitions.prepareAhead(day));
            Future<List<String>> second = instances.submit(() -> partitions.prepareAhead(day));
            List<String> created = new ArrayList<>(first.get(60, TimeUnit.SECONDS));
            created.addAll(second.get(60, TimeUnit.SECONDS));
            assertEquals(
                    List.of(
                            "event_p20320701",
                            "event_p20320702",
                            "event_p20320703",
                            "event_p20320704",
                            "event_p20320705",
                            "event_p20320706",
                            "event_p20320707",
                            "event_p20320708"),
                    created.stream().sorted().toList());
            assertEquals(List.of(), partitions.prepareAhead(day), "nothing left to do");
            clock.set(Instant.parse("2032-07-02T10:00:00Z"));
            track("part-july-2");
            assertEquals("event_p20320702", partitionHolding("part-july-2"));

            Instant cutoff = Instant.parse("2032-07-04T00:00:00Z");
            long pastCutoff = count(
                    "select count(*) from event where received_at < ? and tableoid <> 'event_default'::regclass",
                    cutoff);
            Future<Long> firstDrop = instances.submit(() -> partitions.dropWhollyBefore(cutoff));
            Future<Long> secondDrop = instances.submit(() -> partitions.dropWhollyBefore(cutoff));
            assertTrue(pastCutoff >= 1, "at least this test's event of July 2");
            assertEquals(
                    pastCutoff,
                    firstDrop.get(60, TimeUnit.SECONDS) + secondDrop.get(60, TimeUnit.SECONDS),
                    "each row of the dropped days counted once");
            assertNull(partitionHolding("part-july-2"));
            assertFalse(exists("event_p20320703"));
            assertTrue(isPartition("event_p20320704"));
        } finally {
            instances.shutdownNow();
        }
    }

    private void track(String messageId) {
        asProduct()
                .body(Map.of(
                        "userId",
                        "part-user",
                        "event",
                        "Exported",
                        "messageId",
                        messageId,
                        "context",
                        Map.of("groupId", "part-co"),
                        "timestamp",
                        clock.instant().toString()))
                .post("/v1/track")
                .then()
                .statusCode(200);
    }

    /** The partition a raw event is stored in, or null when it is not stored. */
    private String partitionHolding(String messageId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select tableoid::regclass::text from event where message_id = ?")) {
            query.setString(1, messageId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private boolean isPartition(String table) throws SQLException {
        return count(
                        "select count(*) from pg_inherits where inhrelid = to_regclass(?) and inhparent = 'event'::regclass",
                        table)
                == 1;
    }

    private boolean exists(String table) throws SQLException {
        return count("select count(*) from pg_class where oid = to_regclass(?)", table) == 1;
    }

    private long count(String sql, Object parameter) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, parameter instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : parameter);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
