package dev.kizuna.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Quartz keeps its jobs in the database, clustered, so that several instances share one schedule. */
@QuarkusTest
class QuartzJobStoreTests {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void scheduledJobsLiveInTheClusteredJdbcJobStore() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            assertEquals(
                    1, count(connection, "select count(*) from qrtz_triggers where trigger_name like '%outbox-poll%'"));
            assertTrue(
                    count(connection, "select count(*) from qrtz_scheduler_state") >= 1,
                    "this instance checks in with the cluster");
        }
    }

    @Test
    void eachScheduledRuleHasOneCronTriggerInItsTimezone() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            assertEquals(1, count(connection, """
                    select count(*) from qrtz_cron_triggers
                     where trigger_group = 'kizuna-rules' and trigger_name = 'weekly-onboarding-checkin'
                       and cron_expression = '0 0 9 ? * MON' and time_zone_id = 'Asia/Tokyo'"""));
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
