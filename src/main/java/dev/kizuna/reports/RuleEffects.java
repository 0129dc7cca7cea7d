package dev.kizuna.reports;

import dev.kizuna.common.SqlTimes;
import dev.kizuna.messages.MessageStatus;
import dev.kizuna.reports.LiftStatistics.Comparison;
import dev.kizuna.reports.LiftStatistics.Group;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import dev.kizuna.segments.ProfileCatalog;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The effect of each rule with a goal: accounts that got its message against accounts held out.
 * An account counts once per rule, by its first message of the rule that was sent or held out
 * (created within the period), and converted if that message converted.
 */
@ApplicationScoped
public class RuleEffects {

    private final AgroalDataSource dataSource;
    private final RuleCatalog rules;
    private final ProfileCatalog profiles;

    RuleEffects(AgroalDataSource dataSource, RuleCatalog rules, ProfileCatalog profiles) {
        this.dataSource = dataSource;
        this.rules = rules;
        this.profiles = profiles;
    }

    public record GoalView(String milestone, String event, String within, String retained, String expanded) {}

    /** One rule's effect; {@code segments} only in the per-rule report. */
    public record RuleEffect(
            String rule,
            String name,
            GoalView goal,
            int holdoutPercent,
            Comparison effect,
            List<SegmentEffect> segments) {}

    /** The effect among accounts in one segment now. */
    public record SegmentEffect(String segment, Comparison effect) {}

    /** Every rule in force that has a goal, by id. */
    public List<RuleEffect> all(Period period) {
        return rules.rules().stream()
                .filter(rule -> rule.goal() != null)
                .sorted(Comparator.comparing(Rule::id))
                .map(rule -> {
                    Groups groups = groups(rule.id(), period);
                    return new RuleEffect(
                            rule.id(),
                            rule.name(),
                            goalOf(rule),
                            rule.holdoutPercent(),
                            LiftStatistics.compare(groups.treated(), groups.heldOut()),
                            null);
                })
                .toList();
    }

    /** One rule with a row per segment; empty if no rule with that id is in force. A rule without a goal has no effect. */
    public Optional<RuleEffect> one(String ruleId, Period period) {
        return rules.find(ruleId).map(rule -> {
            if (rule.goal() == null) {
                return new RuleEffect(rule.id(), rule.name(), null, rule.holdoutPercent(), null, null);
            }
            Groups overall = groups(rule.id(), period);
            List<SegmentEffect> segments = new ArrayList<>();
            bySegment(rule.id(), period)
                    .forEach((segment, groups) -> segments.add(
                            new SegmentEffect(segment, LiftStatistics.compare(groups.treated(), groups.heldOut()))));
            return new RuleEffect(
                    rule.id(),
                    rule.name(),
                    goalOf(rule),
                    rule.holdoutPercent(),
                    LiftStatistics.compare(overall.treated(), overall.heldOut()),
                    segments);
        });
    }

    private static GoalView goalOf(Rule rule) {
        return rule.goal() == null
                ? null
                : new GoalView(
                        rule.goal().milestone(),
                        rule.goal().event(),
                        rule.goal().within(),
                        rule.goal().retained(),
                        rule.goal().expanded());
    }

    record Groups(Group treated, Group heldOut) {}

    /**
     * Each account's first message of the rule that went out or was held out, of those its goal
     * follows (a retention goal does not follow an account that was not paying at the message).
     */
    private static final String FIRST_MESSAGES = "select account_id, min(id) as first_id from message "
            + "where rule_id = ? and account_id is not null and status in (" + MessageStatus.SENT.sqlLiteral() + ", "
            + MessageStatus.HELD_OUT.sqlLiteral() + ") and created_at >= ? and created_at < ? "
            + "and (goal_outcome is null or goal_outcome <> 'not_followed') group by account_id";

    private Groups groups(String ruleId, Period period) {
        String sql = "select m.status, count(*), count(m.converted_at) from message m join (" + FIRST_MESSAGES
                + ") f on m.id = f.first_id group by m.status";
        Map<String, long[]> counts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            bindFirstMessages(statement, ruleId, period);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3)});
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the effect of rule " + ruleId + " could not be read", e);
        }
        return groupsOf(counts);
    }

    /** Segment → groups, in the order of segments.yaml, then any other segment by name. */
    private Map<String, Groups> bySegment(String ruleId, Period period) {
        String sql =
                "select s.segment, m.status, count(*), count(m.converted_at) from message m join (" + FIRST_MESSAGES
                        + ") f on m.id = f.first_id join account_segment s on s.account_id = m.account_id group by s.segment, m.status";
        Map<String, Map<String, long[]>> counts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            bindFirstMessages(statement, ruleId, period);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    counts.computeIfAbsent(rows.getString(1), segment -> new TreeMap<>())
                            .put(rows.getString(2), new long[] {rows.getLong(3), rows.getLong(4)});
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the effect of rule " + ruleId + " by segment could not be read", e);
        }
        Map<String, Groups> ordered = new LinkedHashMap<>();
        for (String segment : profiles.definitions().segments().keySet()) {
            if (counts.containsKey(segment)) {
                ordered.put(segment, groupsOf(counts.remove(segment)));
            }
        }
        counts.forEach((segment, byStatus) -> ordered.put(segment, groupsOf(byStatus)));
        return ordered;
    }

    private static void bindFirstMessages(PreparedStatement statement, String ruleId, Period period)
            throws SQLException {
        statement.setString(1, ruleId);
        SqlTimes.setInstant(statement, 2, period.from());
        SqlTimes.setInstant(statement, 3, period.to());
    }

    private static Groups groupsOf(Map<String, long[]> byStatus) {
        long[] treated = byStatus.getOrDefault(MessageStatus.SENT.name(), new long[2]);
        long[] heldOut = byStatus.getOrDefault(MessageStatus.HELD_OUT.name(), new long[2]);
        return new Groups(Group.of(treated[0], treated[1]), Group.of(heldOut[0], heldOut[1]));
    }
}
