package dev.kizuna.reports;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows written straight into the database in JDBC batches, for reports over many accounts
 * whose truth the test knows. Each test uses its own account prefix and its own period.
 */
final class Population {

    private final AgroalDataSource dataSource;
    private final List<Object[]> messages = new ArrayList<>();
    private final List<Object[]> milestones = new ArrayList<>();
    private final List<Object[]> segments = new ArrayList<>();
    private final List<Object[]> accounts = new ArrayList<>();
    private final List<Object[]> timeline = new ArrayList<>();
    private final List<Object[]> revenue = new ArrayList<>();

    Population(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A decision of a rule for an account: 'SENT' or 'HELD_OUT' (or any other status), on a channel. */
    Population message(
            String ruleId,
            String accountId,
            String status,
            String channel,
            String template,
            String locale,
            Instant createdAt) {
        messages.add(new Object[] {ruleId, accountId, status, channel, template, locale, createdAt});
        return this;
    }

    Population milestone(String accountId, String milestone, Instant reachedAt) {
        milestones.add(new Object[] {accountId, milestone, reachedAt});
        return this;
    }

    Population segment(String accountId, String segment) {
        segments.add(new Object[] {accountId, segment});
        return this;
    }

    /** A timeline entry ('OPENED', 'CLICKED', ...) of the rule's message to the account. */
    Population timeline(String ruleId, String accountId, String type, Instant at) {
        timeline.add(new Object[] {ruleId, accountId, type, at});
        return this;
    }

    /** The account's MRR from then on (0: cancelled), as its revenue history keeps it. */
    Population revenue(String accountId, Instant at, int mrr) {
        revenue.add(new Object[] {accountId, at, mrr});
        return this;
    }

    /** An account that signed up then, activated {@code timeToValue} later (null: not activated). */
    Population account(String accountId, Instant signedUpAt, Duration timeToValue) {
        accounts.add(new Object[] {accountId, signedUpAt, timeToValue == null ? null : signedUpAt.plus(timeToValue)});
        return this;
    }

    void insert() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(
                    "insert into message (rule_id, rule_version, account_id, "
                            + "user_id, channel, template_id, locale, status, cause_type, created_at, sent_at) values (?, 'simulated', ?, ?, ?, ?, ?, ?, 'event', ?, ?)")) {
                for (Object[] row : messages) {
                    statement.setString(1, (String) row[0]);
                    statement.setString(2, (String) row[1]);
                    statement.setString(3, "u-" + row[1]);
                    statement.setString(4, (String) row[3]);
                    statement.setString(5, (String) row[4]);
                    statement.setString(6, (String) row[5]);
                    statement.setString(7, (String) row[2]);
                    statement.setObject(8, at((Instant) row[6]));
                    statement.setObject(9, "SENT".equals(row[2]) ? at((Instant) row[6]) : null);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "insert into account_milestone (account_id, milestone, reached_at) values (?, ?, ?)")) {
                for (Object[] row : milestones) {
                    statement.setString(1, (String) row[0]);
                    statement.setString(2, (String) row[1]);
                    statement.setObject(3, at((Instant) row[2]));
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "insert into account_segment (account_id, segment, entered_at) values (?, ?, ?)")) {
                for (Object[] row : segments) {
                    statement.setString(1, (String) row[0]);
                    statement.setString(2, (String) row[1]);
                    statement.setObject(3, at(Instant.parse("2000-01-01T00:00:00Z")));
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            try (PreparedStatement statement =
                    connection.prepareStatement("insert into account (id, traits, first_seen_at, updated_at, "
                            + "signed_up_at, activated_at) values (?, '{}', ?, ?, ?, ?)")) {
                for (Object[] row : accounts) {
                    statement.setString(1, (String) row[0]);
                    statement.setObject(2, at((Instant) row[1]));
                    statement.setObject(3, at((Instant) row[1]));
                    statement.setObject(4, at((Instant) row[1]));
                    statement.setObject(5, row[2] == null ? null : at((Instant) row[2]));
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            try (PreparedStatement statement =
                    connection.prepareStatement("insert into message_event (message_id, type, occurred_at) "
                            + "select id, ?, ? from message where rule_id = ? and account_id = ?")) {
                for (Object[] row : timeline) {
                    statement.setString(1, (String) row[2]);
                    statement.setObject(2, at((Instant) row[3]));
                    statement.setString(3, (String) row[0]);
                    statement.setString(4, (String) row[1]);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "insert into account_history (account_id, changed_at, source, mrr, arr) values (?, ?, 'simulated', ?, ?)")) {
                for (Object[] row : revenue) {
                    statement.setString(1, (String) row[0]);
                    statement.setObject(2, at((Instant) row[1]));
                    statement.setBigDecimal(3, java.math.BigDecimal.valueOf((Integer) row[2]));
                    statement.setBigDecimal(4, java.math.BigDecimal.valueOf(12L * (Integer) row[2]));
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            connection.commit();
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
