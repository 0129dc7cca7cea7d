package dev.kizuna.messages;

import dev.kizuna.common.Databases;
import dev.kizuna.common.SqlTimes;
import dev.kizuna.common.StatementCount;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.Session;

/** The message history the rules' limits and the frequency caps ask about, as the message log holds it. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class LoggedMessageHistory implements MessageHistory {

    /** The statuses that count as "got the rule's message" for once-per limits: held out counts too. */
    static final List<MessageStatus> RECEIVED =
            List.of(MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.HELD_OUT);

    static final List<MessageStatus> DELIVERING = List.of(MessageStatus.QUEUED, MessageStatus.SENT);
    private static final Instant EVER = Instant.EPOCH;

    /**
     * The history of these recipients for these rules, for a set of decisions made together:
     * {@code rulesByUser} and {@code rulesByAccount} name the rules each recipient may get, the
     * only ones that will be asked about. With {@code readAhead}, read with three grouped queries
     * (four with {@code accountCaps}) when first asked (the last message of each of those rules to each user and each account, and
     * the messages sent or queued to each user since {@code capsSince}, for the frequency caps,
     * and with {@code accountCaps} those to each account too); without, each question asks the log.
     */
    public RecipientsHistory forRecipients(
            Map<String, Set<String>> rulesByUser,
            Map<String, Set<String>> rulesByAccount,
            Instant capsSince,
            boolean readAhead,
            boolean accountCaps) {
        return new RecipientsHistory(rulesByUser, rulesByAccount, capsSince, readAhead, accountCaps, this);
    }

    void read(
            RecipientsHistory history,
            Map<String, Set<String>> rulesByUser,
            Map<String, Set<String>> rulesByAccount,
            Instant capsSince,
            boolean accountCaps) {
        if (rulesByUser.isEmpty()) {
            return;
        }
        EntityManager em = Message.getEntityManager();
        // Through Hibernate first: it flushes what the session holds, which the queries on the connection then see.
        readDelivering(em, "user_id", rulesByUser.keySet(), capsSince, history::deliveringAt);
        if (accountCaps && !rulesByAccount.isEmpty()) {
            readDelivering(em, "account_id", rulesByAccount.keySet(), capsSince, history::deliveringToAccountAt);
        }
        boolean readByPair = em.unwrap(Session.class).doReturningWork(connection -> {
            if (!Databases.isPostgres(connection)) {
                return false;
            }
            lastReceivedByPair(connection, "user_id", rulesByUser, history::userReceivedAt);
            lastReceivedByPair(connection, "account_id", rulesByAccount, history::accountReceivedAt);
            StatementCount.countOutsideHibernate(rulesByAccount.isEmpty() ? 1 : 2);
            return true;
        });
        if (!readByPair) {
            lastReceivedByAnyPair(em, "user_id", rulesByUser, history::userReceivedAt);
            lastReceivedByAnyPair(em, "account_id", rulesByAccount, history::accountReceivedAt);
        }
    }

    private interface LastReceived {
        void at(String ruleId, String recipientId, Instant at);
    }

    /**
     * On PostgreSQL, one index probe for each (rule, recipient) pair asked about, the pairs passed
     * as two arrays. Asking for every rule of the set and every recipient instead makes the planner
     * probe each combination (it knows too little of new rules to do better), and a sweep's page
     * has about twenty times more combinations than pairs.
     */
    private static void lastReceivedByPair(
            Connection connection,
            String recipientColumn,
            Map<String, Set<String>> rulesByRecipient,
            LastReceived received)
            throws SQLException {
        if (rulesByRecipient.isEmpty()) {
            return;
        }
        List<String> rules = new ArrayList<>();
        List<String> recipients = new ArrayList<>();
        rulesByRecipient.forEach((recipient, ruleIds) -> ruleIds.forEach(ruleId -> {
            rules.add(ruleId);
            recipients.add(recipient);
        }));
        try (PreparedStatement query = connection.prepareStatement("""
                select pair.rule_id, pair.recipient_id,
                       (select max(m.created_at) from message m
                        where m.rule_id = pair.rule_id and m.%s = pair.recipient_id and m.status = any(?::text[]))
                from unnest(?::text[], ?::text[]) as pair (rule_id, recipient_id)""".formatted(recipientColumn))) {
            query.setArray(
                    1,
                    connection.createArrayOf(
                            "text", RECEIVED.stream().map(Enum::name).toArray()));
            query.setArray(2, connection.createArrayOf("text", rules.toArray()));
            query.setArray(3, connection.createArrayOf("text", recipients.toArray()));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    Instant last = SqlTimes.getInstant(result, 3);
                    if (last != null) {
                        received.at(result.getString(1), result.getString(2), last);
                    }
                }
            }
        }
    }

    /** Elsewhere (the embedded database), every rule asked about for every recipient: more rows than asked, none missing. */
    private static void lastReceivedByAnyPair(
            EntityManager em,
            String recipientColumn,
            Map<String, Set<String>> rulesByRecipient,
            LastReceived received) {
        if (rulesByRecipient.isEmpty()) {
            return;
        }
        Set<String> ruleIds = new HashSet<>();
        rulesByRecipient.values().forEach(ruleIds::addAll);
        for (Object[] row : rows(em.createNativeQuery("""
                select rule_id, %1$s, max(created_at) from message
                where %1$s in (:recipients) and rule_id in (:rules) and status in (:statuses) group by rule_id, %1$s""".formatted(recipientColumn))
                .setParameter("recipients", rulesByRecipient.keySet())
                .setParameter("rules", ruleIds)
                .setParameter("statuses", RECEIVED.stream().map(Enum::name).toList()))) {
            received.at((String) row[0], (String) row[1], SqlTimes.toInstant(row[2]));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> rows(Query query) {
        return (List<Object[]>) query.getResultList();
    }

    @Override
    public boolean userReceived(String ruleId, String userId, Instant since) {
        return anyReceived("userId", ruleId, userId, since);
    }

    @Override
    public boolean accountReceived(String ruleId, String accountId, Instant since) {
        return anyReceived("accountId", ruleId, accountId, since);
    }

    /**
     * Whether a message of the rule reached the subject since then. Written as a query of its own
     * rather than a Panache count: Hibernate plans a count query anew on every call, and this
     * check runs for every decision.
     */
    private boolean anyReceived(String subject, String ruleId, String subjectId, Instant since) {
        return !Message.getEntityManager()
                .createQuery(
                        "select m.id from Message m where m.ruleId = ?1 and m." + subject
                                + " = ?2 and m.status in ?3 and m.createdAt >= ?4",
                        Long.class)
                .setParameter(1, ruleId)
                .setParameter(2, subjectId)
                .setParameter(3, RECEIVED)
                .setParameter(4, since == null ? EVER : since)
                .setMaxResults(1)
                .getResultList()
                .isEmpty();
    }

    @Override
    public Instant lastReceived(String ruleId, String accountId, String userId) {
        String subject = accountId != null ? "accountId" : "userId";
        return Message.getEntityManager()
                .createQuery(
                        "select max(m.createdAt) from Message m where m.ruleId = ?1 and m." + subject
                                + " = ?2 and m.status in ?3",
                        Instant.class)
                .setParameter(1, ruleId)
                .setParameter(2, accountId != null ? accountId : userId)
                .setParameter(3, RECEIVED)
                .getSingleResult();
    }

    private interface Delivering {
        void at(String recipientId, Channel channel, Instant at);
    }

    /** The messages sent or queued since then to these users or accounts ({@code column} says which). */
    private static void readDelivering(
            EntityManager em, String column, Collection<String> ids, Instant since, Delivering each) {
        for (Object[] row : rows(em.createNativeQuery("select " + column + ", channel, created_at from message where "
                        + column + " in (:ids) and status in (:statuses) and created_at >= :since")
                .setParameter("ids", ids)
                .setParameter("statuses", DELIVERING.stream().map(Enum::name).toList())
                .setParameter("since", Timestamp.from(since)))) {
            each.at((String) row[0], Channel.valueOf((String) row[1]), SqlTimes.toInstant(row[2]));
        }
    }

    @Override
    public long sentToUser(String userId, Channel channel, Instant since) {
        return delivering("userId", userId, channel, since);
    }

    @Override
    public long sentToAccount(String accountId, Channel channel, Instant since) {
        return delivering("accountId", accountId, channel, since);
    }

    /** Messages sent or queued on the channel since then to the user or account: {@code recipient} names the field. */
    private static long delivering(String recipient, String id, Channel channel, Instant since) {
        return Message.getEntityManager()
                .createQuery(
                        "select count(m) from Message m where m." + recipient
                                + " = ?1 and m.channel = ?2 and m.status in ?3 and m.createdAt >= ?4",
                        Long.class)
                .setParameter(1, id)
                .setParameter(2, channel)
                .setParameter(3, DELIVERING)
                .setParameter(4, since)
                .getSingleResult();
    }
}
