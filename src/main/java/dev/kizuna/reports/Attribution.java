package dev.kizuna.reports;

import dev.kizuna.messages.GoalOutcome;
import dev.kizuna.messages.MessageRecorder;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import dev.kizuna.rules.RuleDefinition;
import dev.kizuna.segments.ProfileCatalog;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Decides for each message of a rule with a goal whether the goal followed it: the account
 * reached the goal's milestone, or the goal event happened for the account, within the goal's
 * window from the message's creation. Held-out messages are followed exactly like sent ones, so
 * that the two groups can be compared.
 *
 * <p>Each message is looked at until it is decided, then never again: a pass reads only the
 * messages still followed (goal_outcome null), in pages by id. A goal reached before the message
 * does not count as a conversion caused by it. Queued emails wait until they are sent; messages
 * that never went out (capped, suppressed, failed) and messages of rules without a goal are not
 * followed. The goal is the rule's goal at the time of the pass.
 */
@ApplicationScoped
public class Attribution {

    private static final Logger LOG = Logger.getLogger(Attribution.class);

    private final AgroalDataSource dataSource;
    private final MessageRecorder messages;
    private final RuleCatalog rules;
    private final ProfileCatalog profiles;
    private final ReportsConfig config;
    private final Clock clock;

    Attribution(AgroalDataSource dataSource, MessageRecorder messages, RuleCatalog rules, ProfileCatalog profiles, ReportsConfig config,
            Clock clock) {
        this.dataSource = dataSource;
        this.messages = messages;
        this.rules = rules;
        this.profiles = profiles;
        this.config = config;
        this.clock = clock;
    }

    /** How many messages a pass looked at and what it decided. */
    public record Pass(long examined, long converted, long notConverted, long notFollowed, long stillFollowed) {}

    /** A message not decided yet. */
    record Candidate(long id, String ruleId, String accountId, String status, Instant createdAt) {}

    /** Follows every message not decided yet, now. Safe to run concurrently: a decided message stays decided. */
    public Pass run() {
        Instant now = clock.instant();
        long examined = 0, converted = 0, notConverted = 0, notFollowed = 0, stillFollowed = 0;
        long afterId = 0;
        int pageSize = Math.max(1, config.attributionPageSize());
        while (true) {
            List<Candidate> page = undecided(afterId, pageSize);
            if (page.isEmpty()) {
                break;
            }
            afterId = page.get(page.size() - 1).id();
            Outcomes outcomes = decide(page, now);
            QuarkusTransaction.requiringNew().run(() -> {
                outcomes.conversions().forEach(conversion -> messages.markConverted(conversion.messageId(), conversion.reachedAt(),
                        conversion.detail()));
                messages.closeGoal(outcomes.notConverted(), GoalOutcome.NOT_CONVERTED);
                messages.closeGoal(outcomes.notFollowed(), GoalOutcome.NOT_FOLLOWED);
            });
            examined += page.size();
            converted += outcomes.conversions().size();
            notConverted += outcomes.notConverted().size();
            notFollowed += outcomes.notFollowed().size();
            stillFollowed += page.size() - outcomes.conversions().size() - outcomes.notConverted().size() - outcomes.notFollowed().size();
            if (page.size() < pageSize) {
                break;
            }
        }
        if (converted > 0 || notConverted > 0) {
            LOG.infof("attribution: %d messages examined, %d converted, %d not converted, %d still followed", examined, converted,
                    notConverted, stillFollowed);
        }
        return new Pass(examined, converted, notConverted, notFollowed, stillFollowed);
    }

    record Conversion(long messageId, Instant reachedAt, String detail) {}

    record Outcomes(List<Conversion> conversions, List<Long> notConverted, List<Long> notFollowed) {}

    private Outcomes decide(List<Candidate> page, Instant now) {
        List<Conversion> conversions = new ArrayList<>();
        List<Long> notConverted = new ArrayList<>();
        List<Long> notFollowed = new ArrayList<>();
        Map<String, Map<String, Instant>> milestoneReached = milestonesReached(page);
        for (Candidate message : page) {
            if (message.status().equals("QUEUED")) {
                continue; // decided once it is sent or given up
            }
            Rule rule = rules.find(message.ruleId()).orElse(null);
            boolean wentOutOrHeldOut = message.status().equals("SENT") || message.status().equals("HELD_OUT");
            if (!wentOutOrHeldOut || rule == null || rule.goal() == null || message.accountId() == null) {
                notFollowed.add(message.id());
                continue;
            }
            RuleDefinition.Goal goal = rule.goal();
            Instant windowEnd = message.createdAt().plus(goalWindow(rule));
            Instant reachedAt;
            if (goal.milestone() != null) {
                reachedAt = milestoneReached.getOrDefault(goal.milestone(), Map.of()).get(message.accountId());
                if (reachedAt != null && reachedAt.isBefore(message.createdAt())) {
                    notConverted.add(message.id()); // reached before the message: not its doing
                    continue;
                }
            } else {
                reachedAt = firstEventFor(message.accountId(), goal.event(), message.createdAt(), windowEnd);
            }
            if (reachedAt != null && !reachedAt.isAfter(windowEnd)) {
                conversions.add(new Conversion(message.id(), reachedAt, describe(goal, Duration.between(message.createdAt(), reachedAt))));
            } else if (now.isAfter(windowEnd)) {
                notConverted.add(message.id());
            }
        }
        return new Outcomes(conversions, notConverted, notFollowed);
    }

    /** The goal's window; a goal without {@code within} gets the activation window. */
    Duration goalWindow(Rule rule) {
        return rule.timing() != null && rule.timing().goalWithin() != null ? rule.timing().goalWithin()
                : profiles.definitions().activationWindow();
    }

    static String describe(RuleDefinition.Goal goal, Duration taken) {
        String what = goal.milestone() != null ? "milestone '" + goal.milestone() + "'" : "event '" + goal.event() + "'";
        return what + " reached " + humanly(taken) + " after the message (" + taken + ")";
    }

    static String humanly(Duration duration) {
        long days = duration.toDays();
        long hours = duration.toHoursPart();
        long minutes = duration.toMinutesPart();
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        return hours > 0 ? hours + "h " + minutes + "m" : Math.max(minutes, 0) + "m";
    }

    private List<Candidate> undecided(long afterId, int limit) {
        String sql = "select id, rule_id, account_id, status, created_at from message where goal_outcome is null and id > ? order by id limit ?";
        List<Candidate> page = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, afterId);
            statement.setInt(2, limit);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    page.add(new Candidate(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getObject(5, OffsetDateTime.class).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("messages to attribute could not be read", e);
        }
        return page;
    }

    /** For the milestone goals of this page: milestone → account → when reached. One query per milestone. */
    private Map<String, Map<String, Instant>> milestonesReached(List<Candidate> page) {
        Map<String, List<String>> accountsByMilestone = new HashMap<>();
        for (Candidate message : page) {
            rules.find(message.ruleId()).map(Rule::goal).filter(goal -> goal.milestone() != null && message.accountId() != null)
                    .ifPresent(goal -> accountsByMilestone.computeIfAbsent(goal.milestone(), m -> new ArrayList<>()).add(message.accountId()));
        }
        Map<String, Map<String, Instant>> reached = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            for (var entry : accountsByMilestone.entrySet()) {
                List<String> accounts = entry.getValue().stream().distinct().toList();
                String sql = "select account_id, reached_at from account_milestone where milestone = ? and account_id in ("
                        + String.join(",", java.util.Collections.nCopies(accounts.size(), "?")) + ")";
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setString(1, entry.getKey());
                    for (int i = 0; i < accounts.size(); i++) {
                        statement.setString(i + 2, accounts.get(i));
                    }
                    try (ResultSet rows = statement.executeQuery()) {
                        Map<String, Instant> byAccount = reached.computeIfAbsent(entry.getKey(), m -> new HashMap<>());
                        while (rows.next()) {
                            byAccount.put(rows.getString(1), rows.getObject(2, OffsetDateTime.class).toInstant());
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("milestones could not be read", e);
        }
        return reached;
    }

    /**
     * The first time the event happened for the account within [from, to]: events of the account
     * (context.groupId), or of its members without an account, as event counts are kept.
     */
    private Instant firstEventFor(String accountId, String event, Instant from, Instant to) {
        String sql = "select min(e.occurred_at) from event e where e.name = ? and e.occurred_at >= ? and e.occurred_at <= ? "
                + "and (e.account_id = ? or (e.account_id is null and e.user_id in (select mb.user_id from membership mb where mb.account_id = ?)))";
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, event);
            statement.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            statement.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            statement.setString(4, accountId);
            statement.setString(5, accountId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                OffsetDateTime first = rows.getObject(1, OffsetDateTime.class);
                return first == null ? null : first.toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("goal events could not be read", e);
        }
    }
}
