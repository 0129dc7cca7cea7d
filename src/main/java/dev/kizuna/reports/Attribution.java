package dev.kizuna.reports;

import dev.kizuna.accounts.GoalActivity;
import dev.kizuna.common.SqlTimes;
import dev.kizuna.messages.GoalOutcome;
import dev.kizuna.messages.MessageRecorder;
import dev.kizuna.messages.MessageStatus;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import dev.kizuna.rules.RuleDefinition;
import dev.kizuna.segments.ProfileCatalog;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.jboss.logging.Logger;

/**
 * Decides for each message of a rule with a goal whether the goal followed it: the account
 * reached the goal's milestone, the goal event happened for the account, the account stayed
 * (retained) or its MRR rose (expanded), within the goal's window from the message's creation.
 * Held-out messages are followed exactly like sent ones, so that the two groups can be compared.
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
    private final GoalActivity goalActivity;
    private final ReportsConfig config;
    private final RevenueHistory revenueHistory;
    private final Clock clock;

    Attribution(
            AgroalDataSource dataSource,
            MessageRecorder messages,
            RuleCatalog rules,
            ProfileCatalog profiles,
            GoalActivity goalActivity,
            ReportsConfig config,
            RevenueHistory revenueHistory,
            Clock clock) {
        this.revenueHistory = revenueHistory;
        this.goalActivity = goalActivity;
        this.dataSource = dataSource;
        this.messages = messages;
        this.rules = rules;
        this.profiles = profiles;
        this.config = config;
        this.clock = clock;
    }

    /** How many messages a pass looked at and what it decided; full when it looked at every message still followed. */
    public record Pass(
            long examined,
            long converted,
            long notConverted,
            long notFollowed,
            long stillFollowed,
            boolean full,
            double seconds) {}

    /** A message not decided yet; windowEndsAt is null until a pass first follows it. */
    record Candidate(
            long id, String ruleId, String accountId, String status, Instant createdAt, Instant windowEndsAt) {}

    /**
     * Follows the messages not decided yet, now. A pass looks at the messages that are new or
     * wait to go out, those whose goal window has ended and those of accounts with goal activity
     * since the last pass; its cost follows what changed, not how many messages are followed.
     * The first pass, and the first after the rules' goals changed, looks at every message still
     * followed. Safe to run concurrently: a decided message stays decided.
     */
    public Pass run() {
        long started = System.nanoTime();
        Instant now = clock.instant();
        String goals = goalsDigest();
        boolean full = !goals.equals(lastGoals());
        GoalActivity.Read activity = goalActivity.read();
        Totals totals = new Totals();
        if (full) {
            long afterId = 0;
            int pageSize = Math.max(1, config.attributionPageSize());
            while (true) {
                List<Candidate> page =
                        candidates("goal_outcome is null and id > ? order by id", List.of(afterId), pageSize);
                if (page.isEmpty()) {
                    break;
                }
                afterId = page.get(page.size() - 1).id();
                decideAndRecord(page, now, totals);
                if (page.size() < pageSize) {
                    break;
                }
            }
        } else {
            // Ids only, streamed: after a large firing millions of messages are new, and their
            // rows are read a page at a time as they are decided.
            LongStream.Builder changed = LongStream.builder();
            addCandidateIds("goal_outcome is null and goal_window_ends_at is null", List.of(), changed);
            addCandidateIds("goal_outcome is null and goal_window_ends_at <= ?", List.of(now), changed);
            for (int from = 0; from < activity.accountIds().size(); from += ACCOUNTS_PER_QUERY) {
                List<String> accounts = activity.accountIds()
                        .subList(from, Math.min(activity.accountIds().size(), from + ACCOUNTS_PER_QUERY));
                addCandidateIds(
                        "goal_outcome is null and goal_window_ends_at is not null and account_id in ("
                                + placeholders(accounts.size()) + ")",
                        List.copyOf(accounts),
                        changed);
            }
            long[] ids = changed.build().sorted().distinct().toArray();
            int pageSize = Math.max(1, config.attributionPageSize());
            for (int from = 0; from < ids.length; from += pageSize) {
                long[] pageIds = Arrays.copyOfRange(ids, from, Math.min(ids.length, from + pageSize));
                // Decided meanwhile by a concurrent pass: no longer a candidate.
                List<Candidate> page = candidates(
                        "goal_outcome is null and id in (" + placeholders(pageIds.length) + ") order by id",
                        Arrays.stream(pageIds).boxed().map(Object.class::cast).toList(),
                        0);
                decideAndRecord(page, now, totals);
            }
        }
        goalActivity.forget(activity.rowIds());
        passed(goals, now);
        if (totals.converted > 0 || totals.notConverted > 0) {
            LOG.infof(
                    "attribution (%s): %d messages examined, %d converted, %d not converted, %d still followed",
                    full ? "full" : "changes",
                    totals.examined,
                    totals.converted,
                    totals.notConverted,
                    totals.stillFollowed);
        }
        Pass pass = new Pass(
                totals.examined,
                totals.converted,
                totals.notConverted,
                totals.notFollowed,
                totals.stillFollowed,
                full,
                (System.nanoTime() - started) / 1e9);
        Timer.builder("kizuna.attribution.pass")
                .description("attribution passes: all followed messages (full) or what changed")
                .tag("kind", full ? "full" : "changes")
                .register(Metrics.globalRegistry)
                .record(Duration.ofNanos(System.nanoTime() - started));
        return pass;
    }

    private static final int ACCOUNTS_PER_QUERY = 1000;

    private static final class Totals {
        long examined, converted, notConverted, notFollowed, stillFollowed;
    }

    private void decideAndRecord(List<Candidate> page, Instant now, Totals totals) {
        Outcomes outcomes = decide(page, now);
        QuarkusTransaction.requiringNew().run(() -> {
            messages.markConverted(outcomes.conversions());
            messages.closeGoal(outcomes.notConverted(), GoalOutcome.NOT_CONVERTED);
            messages.closeGoal(outcomes.notFollowed(), GoalOutcome.NOT_FOLLOWED);
            messages.followGoalUntil(outcomes.followedUntil());
        });
        totals.examined += page.size();
        totals.converted += outcomes.conversions().size();
        totals.notConverted += outcomes.notConverted().size();
        totals.notFollowed += outcomes.notFollowed().size();
        totals.stillFollowed += page.size()
                - outcomes.conversions().size()
                - outcomes.notConverted().size()
                - outcomes.notFollowed().size();
    }

    /** What a page decided, and until when each message still followed is followed (if that is new). */
    record Outcomes(
            List<MessageRecorder.Conversion> conversions,
            List<Long> notConverted,
            List<Long> notFollowed,
            Map<Long, Instant> followedUntil) {}

    private Outcomes decide(List<Candidate> page, Instant now) {
        List<MessageRecorder.Conversion> conversions = new ArrayList<>();
        List<Long> notConverted = new ArrayList<>();
        List<Long> notFollowed = new ArrayList<>();
        Map<Long, Instant> followedUntil = new HashMap<>();
        Map<String, Map<String, Instant>> milestoneReached = milestonesReached(page);
        Map<Long, Instant> firstGoalEvents = firstGoalEvents(page);
        Map<String, RevenueTimeline> revenue = revenueTimelines(page);
        for (Candidate message : page) {
            if (message.status().equals(MessageStatus.QUEUED.name())) {
                continue; // decided once it is sent or given up
            }
            Rule rule = rules.find(message.ruleId()).orElse(null);
            boolean wentOutOrHeldOut = message.status().equals(MessageStatus.SENT.name())
                    || message.status().equals(MessageStatus.HELD_OUT.name());
            if (!wentOutOrHeldOut || rule == null || rule.goal() == null || message.accountId() == null) {
                notFollowed.add(message.id());
                continue;
            }
            RuleDefinition.Goal goal = rule.goal();
            Instant windowEnd = message.createdAt().plus(goalWindow(rule));
            if (goal.onRevenue()) {
                RevenueOutcome outcome =
                        revenueOutcome(goal, revenue.get(message.accountId()), message.createdAt(), windowEnd, now);
                switch (outcome.kind()) {
                    case CONVERTED ->
                        conversions.add(
                                new MessageRecorder.Conversion(message.id(), outcome.at(), outcome.description()));
                    case NOT_CONVERTED -> notConverted.add(message.id());
                    case NOT_FOLLOWED -> notFollowed.add(message.id());
                    case FOLLOWED -> {
                        if (!windowEnd.equals(message.windowEndsAt())) {
                            followedUntil.put(message.id(), windowEnd);
                        }
                    }
                }
                continue;
            }
            Instant reachedAt;
            if (goal.milestone() != null) {
                reachedAt = milestoneReached
                        .getOrDefault(goal.milestone(), Map.of())
                        .get(message.accountId());
                if (reachedAt != null && reachedAt.isBefore(message.createdAt())) {
                    notConverted.add(message.id()); // reached before the message: not its doing
                    continue;
                }
            } else {
                reachedAt = firstGoalEvents.get(message.id());
            }
            if (reachedAt != null && !reachedAt.isAfter(windowEnd)) {
                conversions.add(new MessageRecorder.Conversion(
                        message.id(), reachedAt, describe(goal, Duration.between(message.createdAt(), reachedAt))));
            } else if (now.isAfter(windowEnd)) {
                notConverted.add(message.id());
            } else if (!windowEnd.equals(message.windowEndsAt())) {
                followedUntil.put(message.id(), windowEnd);
            }
        }
        return new Outcomes(conversions, notConverted, notFollowed, followedUntil);
    }

    /** What the revenue history says of a retained or expanded goal so far. */
    record RevenueOutcome(Kind kind, Instant at, String description) {
        enum Kind {
            CONVERTED,
            NOT_CONVERTED,
            NOT_FOLLOWED,
            FOLLOWED
        }
    }

    /**
     * Retained: an account paying at the message that does not churn (MRR to zero) before the
     * window ends converts at its end, and one that churns within it does not, as soon as it
     * does; an account not paying at the message has nothing to retain and is not followed.
     * Expanded: converts when its MRR first rises above its level at the message, within the
     * window. Both read the history in time order, so a backfilled change counts where it belongs.
     */
    static RevenueOutcome revenueOutcome(
            RuleDefinition.Goal goal, RevenueTimeline timeline, Instant sent, Instant windowEnd, Instant now) {
        RevenueTimeline.State atMessage = timeline == null ? RevenueTimeline.State.NONE : timeline.before(sent);
        List<RevenueTimeline.Change> after = timeline == null
                ? List.of()
                : timeline.changes().stream()
                        .filter(change -> !change.at().isBefore(sent) && change.mrr() != null)
                        .toList();
        if (goal.retained() != null) {
            if (!atMessage.paying()) {
                return new RevenueOutcome(RevenueOutcome.Kind.NOT_FOLLOWED, null, null);
            }
            for (RevenueTimeline.Change change : after) {
                if (change.at().isAfter(windowEnd)) {
                    break;
                }
                if (change.mrr().signum() == 0) {
                    return new RevenueOutcome(RevenueOutcome.Kind.NOT_CONVERTED, null, null);
                }
            }
            return now.isAfter(windowEnd)
                    ? new RevenueOutcome(
                            RevenueOutcome.Kind.CONVERTED,
                            windowEnd,
                            "still paying " + goal.retained() + " after the message")
                    : new RevenueOutcome(RevenueOutcome.Kind.FOLLOWED, null, null);
        }
        for (RevenueTimeline.Change change : after) {
            if (change.at().isAfter(windowEnd)) {
                break;
            }
            if (change.mrr().compareTo(atMessage.mrr()) > 0) {
                return new RevenueOutcome(
                        RevenueOutcome.Kind.CONVERTED,
                        change.at(),
                        "MRR up from " + atMessage.mrr().toPlainString() + " to "
                                + change.mrr().toPlainString() + " " + humanly(Duration.between(sent, change.at()))
                                + " after the message");
            }
        }
        return now.isAfter(windowEnd)
                ? new RevenueOutcome(RevenueOutcome.Kind.NOT_CONVERTED, null, null)
                : new RevenueOutcome(RevenueOutcome.Kind.FOLLOWED, null, null);
    }

    /** The revenue history of the accounts of this page's messages whose goal is on revenue: one query for the page. */
    private Map<String, RevenueTimeline> revenueTimelines(List<Candidate> page) {
        return revenueHistory.of(page.stream()
                .filter(message -> message.accountId() != null)
                .filter(message -> rules.find(message.ruleId())
                        .map(Rule::goal)
                        .filter(RuleDefinition.Goal::onRevenue)
                        .isPresent())
                .map(Candidate::accountId)
                .distinct()
                .toList());
    }

    /** A digest of every rule's goal and window: a change means the messages followed must all be looked at again. */
    private String goalsDigest() {
        StringBuilder goals = new StringBuilder();
        rules.rules().stream()
                .filter(rule -> rule.goal() != null)
                .sorted(java.util.Comparator.comparing(Rule::id))
                .forEach(rule -> goals.append(rule.id())
                        .append('|')
                        .append(rule.goal())
                        .append('|')
                        .append(goalWindow(rule))
                        .append('\n'));
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(goals.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String lastGoals() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("select goals from attribution_state where id = 1");
                ResultSet row = statement.executeQuery()) {
            return row.next() ? row.getString(1) : "";
        } catch (SQLException e) {
            throw new IllegalStateException("the last attribution pass could not be read", e);
        }
    }

    private void passed(String goals, Instant at) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("""
                        merge into attribution_state t using (values (1, cast(? as varchar(64)), cast(? as timestamp with time zone))) as s (id, goals, passed_at)
                           on t.id = s.id
                         when matched then update set goals = s.goals, passed_at = s.passed_at
                         when not matched then insert (id, goals, passed_at) values (s.id, s.goals, s.passed_at)""")) {
            statement.setString(1, goals);
            statement.setObject(2, SqlTimes.toParameter(at));
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the attribution pass could not be recorded", e);
        }
    }

    /** The goal's window; a goal without {@code within} gets the activation window. */
    Duration goalWindow(Rule rule) {
        return rule.timing() != null && rule.timing().goalWithin() != null
                ? rule.timing().goalWithin()
                : profiles.definitions().activationWindow();
    }

    static String describe(RuleDefinition.Goal goal, Duration taken) {
        return goal.describe() + " reached " + humanly(taken) + " after the message (" + taken + ")";
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

    private static String placeholders(int count) {
        return String.join(",", java.util.Collections.nCopies(count, "?"));
    }

    /**
     * Adds the ids of the messages matching the condition, streamed from the database rather than
     * held as one result: PostgreSQL's driver reads a result in fetch-size parts only within a
     * transaction.
     */
    private void addCandidateIds(String where, List<Object> parameters, LongStream.Builder ids) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (autoCommit) {
                connection.setAutoCommit(false);
            }
            try (PreparedStatement statement = connection.prepareStatement("select id from message where " + where)) {
                statement.setFetchSize(10_000);
                bind(statement, parameters);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                    }
                }
            } finally {
                if (autoCommit) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("messages to attribute could not be read", e);
        }
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object parameter = parameters.get(i);
            statement.setObject(
                    i + 1, parameter instanceof Instant instant ? SqlTimes.toParameter(instant) : parameter);
        }
    }

    /** Messages matching the condition (with its parameters), at most {@code limit} of them (0: all). */
    private List<Candidate> candidates(String where, List<Object> parameters, int limit) {
        String sql = "select id, rule_id, account_id, status, created_at, goal_window_ends_at from message where "
                + where + (limit > 0 ? " limit " + limit : "");
        List<Candidate> found = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(new Candidate(
                            rows.getLong(1),
                            rows.getString(2),
                            rows.getString(3),
                            rows.getString(4),
                            SqlTimes.getInstant(rows, 5),
                            SqlTimes.getInstant(rows, 6)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("messages to attribute could not be read", e);
        }
        return found;
    }

    /** For the milestone goals of this page: milestone → account → when reached. One query per milestone. */
    private Map<String, Map<String, Instant>> milestonesReached(List<Candidate> page) {
        Map<String, List<String>> accountsByMilestone = new HashMap<>();
        for (Candidate message : page) {
            rules.find(message.ruleId())
                    .map(Rule::goal)
                    .filter(goal -> goal.milestone() != null && message.accountId() != null)
                    .ifPresent(goal -> accountsByMilestone
                            .computeIfAbsent(goal.milestone(), m -> new ArrayList<>())
                            .add(message.accountId()));
        }
        Map<String, Map<String, Instant>> reached = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            for (var entry : accountsByMilestone.entrySet()) {
                List<String> accounts = entry.getValue().stream().distinct().toList();
                String sql =
                        "select account_id, reached_at from account_milestone where milestone = ? and account_id in ("
                                + String.join(",", java.util.Collections.nCopies(accounts.size(), "?")) + ")";
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setString(1, entry.getKey());
                    for (int i = 0; i < accounts.size(); i++) {
                        statement.setString(i + 2, accounts.get(i));
                    }
                    try (ResultSet rows = statement.executeQuery()) {
                        Map<String, Instant> byAccount = reached.computeIfAbsent(entry.getKey(), m -> new HashMap<>());
                        while (rows.next()) {
                            byAccount.put(rows.getString(1), SqlTimes.getInstant(rows, 2));
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
     * For the messages of this page whose goal is an event: the first time the event happened for
     * the message's account within its window, by message id. Events of the account
     * (context.groupId) or of its members without an account, as event counts are kept; one query
     * for the page.
     */
    private Map<Long, Instant> firstGoalEvents(List<Candidate> page) {
        List<Object[]> windows = new ArrayList<>();
        for (Candidate message : page) {
            Rule rule = rules.find(message.ruleId()).orElse(null);
            if (rule != null && rule.goal() != null && rule.goal().event() != null && message.accountId() != null) {
                windows.add(new Object[] {
                    message.id(),
                    message.accountId(),
                    rule.goal().event(),
                    message.createdAt(),
                    message.createdAt().plus(goalWindow(rule))
                });
            }
        }
        Map<Long, Instant> first = new HashMap<>();
        if (windows.isEmpty()) {
            return first;
        }
        String values = String.join(
                ", ",
                java.util.Collections.nCopies(
                        windows.size(),
                        "(cast(? as bigint), cast(? as varchar(255)), cast(? as varchar(255)), cast(? as timestamp with time zone), cast(? as timestamp with time zone))"));
        String sql = "select w.message_id, (select min(e.occurred_at) from event e where e.name = w.event_name"
                + " and e.occurred_at >= w.window_from and e.occurred_at <= w.window_to"
                + " and (e.account_id = w.account_id or (e.account_id is null and e.user_id in"
                + " (select mb.user_id from membership mb where mb.account_id = w.account_id))))"
                + " from (values " + values + ") as w (message_id, account_id, event_name, window_from, window_to)";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            int parameter = 0;
            for (Object[] window : windows) {
                statement.setLong(++parameter, (Long) window[0]);
                statement.setString(++parameter, (String) window[1]);
                statement.setString(++parameter, (String) window[2]);
                statement.setObject(++parameter, SqlTimes.toParameter((Instant) window[3]));
                statement.setObject(++parameter, SqlTimes.toParameter((Instant) window[4]));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Instant at = SqlTimes.getInstant(rows, 2);
                    if (at != null) {
                        first.put(rows.getLong(1), at);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("goal events could not be read", e);
        }
        return first;
    }
}
