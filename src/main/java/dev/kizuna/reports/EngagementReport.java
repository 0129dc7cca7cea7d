package dev.kizuna.reports;

import dev.kizuna.common.SqlTimes;
import dev.kizuna.messages.MessageEventType;
import dev.kizuna.messages.MessageStatus;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What became of the messages of each rule, template, segment variant (null: the template's own
 * files), channel and locale (messages created in
 * the period). Statuses give sent, failed, held out, capped, suppressed and queued; timeline
 * entries give the rest, each counted once per message however often it happened.
 */
@ApplicationScoped
public class EngagementReport {

    private final AgroalDataSource dataSource;

    EngagementReport(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * One row. {@code delivered} equals {@code sent}: an accepted email and a nudge placed in the
     * inbox are delivered; a bounce is an SMTP rejection, so {@code bounced} messages are among the
     * {@code failed} ones. Rates are of sent messages, null when none was sent; nudges have no open rate.
     */
    public record Row(
            String rule,
            String template,
            String variant,
            String channel,
            String locale,
            long messages,
            long sent,
            long delivered,
            long bounced,
            long failed,
            long heldOut,
            long capped,
            long suppressed,
            long queued,
            long opened,
            long clicked,
            long unsubscribed,
            long seen,
            long dismissed,
            Double openRate,
            Double clickRate) {}

    /** Optional filters: a rule id and a channel (wire name). */
    public List<Row> rows(Period period, String ruleId, String channel) {
        String sql = "select m.rule_id, m.template_id, m.channel, m.locale, count(*), "
                + "sum(case when m.status = " + MessageStatus.SENT.sqlLiteral() + " then 1 else 0 end), "
                + "sum(case when m.status = " + MessageStatus.FAILED.sqlLiteral() + " then 1 else 0 end), "
                + "sum(case when m.status = " + MessageStatus.HELD_OUT.sqlLiteral() + " then 1 else 0 end), "
                + "sum(case when m.status = " + MessageStatus.CAPPED.sqlLiteral() + " then 1 else 0 end), "
                + "sum(case when m.status = " + MessageStatus.SUPPRESSED.sqlLiteral() + " then 1 else 0 end), "
                + "sum(case when m.status = " + MessageStatus.QUEUED.sqlLiteral() + " then 1 else 0 end), "
                + "sum(coalesce(e.bounced, 0)), sum(coalesce(e.opened, 0)), sum(coalesce(e.clicked, 0)), "
                + "sum(coalesce(e.unsubscribed, 0)), sum(coalesce(e.seen, 0)), sum(coalesce(e.dismissed, 0)), m.variant "
                + "from message m left join ("
                + "  select message_id, "
                + "  max(case when type = " + MessageEventType.BOUNCED.sqlLiteral() + " then 1 else 0 end) as bounced, "
                + "  max(case when type = " + MessageEventType.OPENED.sqlLiteral() + " then 1 else 0 end) as opened, "
                + "  max(case when type = " + MessageEventType.CLICKED.sqlLiteral() + " then 1 else 0 end) as clicked, "
                + "  max(case when type = " + MessageEventType.UNSUBSCRIBED.sqlLiteral()
                + " then 1 else 0 end) as unsubscribed, "
                + "  max(case when type = " + MessageEventType.SEEN.sqlLiteral() + " then 1 else 0 end) as seen, "
                + "  max(case when type = " + MessageEventType.DISMISSED.sqlLiteral()
                + " then 1 else 0 end) as dismissed "
                + "  from message_event where type in ("
                + String.join(
                        ", ",
                        Stream.of(
                                        MessageEventType.BOUNCED,
                                        MessageEventType.OPENED,
                                        MessageEventType.CLICKED,
                                        MessageEventType.UNSUBSCRIBED,
                                        MessageEventType.SEEN,
                                        MessageEventType.DISMISSED)
                                .map(MessageEventType::sqlLiteral)
                                .toList())
                + ") "
                + "  group by message_id) e on e.message_id = m.id "
                + "where m.created_at >= ? and m.created_at < ? "
                + (ruleId == null ? "" : "and m.rule_id = ? ")
                + (channel == null ? "" : "and m.channel = ? ")
                + "group by m.rule_id, m.template_id, m.channel, m.locale, m.variant "
                + "order by m.rule_id, m.template_id, m.variant, m.channel, m.locale";
        List<Row> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            SqlTimes.setInstant(statement, index++, period.from());
            SqlTimes.setInstant(statement, index++, period.to());
            if (ruleId != null) {
                statement.setString(index++, ruleId);
            }
            if (channel != null) {
                statement.setString(index, channel.toUpperCase(java.util.Locale.ROOT));
            }
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    long sent = result.getLong(6);
                    long opened = result.getLong(13);
                    long clicked = result.getLong(14);
                    String rowChannel = result.getString(3).toLowerCase(java.util.Locale.ROOT);
                    boolean opensTracked = !rowChannel.equals("inapp"); // a nudge is seen, not opened
                    rows.add(new Row(
                            result.getString(1),
                            result.getString(2),
                            result.getString(18),
                            rowChannel,
                            result.getString(4),
                            result.getLong(5),
                            sent,
                            sent,
                            result.getLong(12),
                            result.getLong(7),
                            result.getLong(8),
                            result.getLong(9),
                            result.getLong(10),
                            result.getLong(11),
                            opened,
                            clicked,
                            result.getLong(15),
                            result.getLong(16),
                            result.getLong(17),
                            sent == 0 || !opensTracked ? null : (double) opened / sent,
                            sent == 0 ? null : (double) clicked / sent));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the engagement report could not be read", e);
        }
        return rows;
    }
}
