package dev.kizuna.messages;

import dev.kizuna.common.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The message history the rules' limits and the frequency caps ask about, as the message log holds it. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class LoggedMessageHistory implements MessageHistory {

    /** The statuses that count as "got the rule's message" for once-per limits: held out counts too. */
    static final List<MessageStatus> RECEIVED = List.of(MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.HELD_OUT);
    static final List<MessageStatus> DELIVERING = List.of(MessageStatus.QUEUED, MessageStatus.SENT);
    private static final Instant EVER = Instant.EPOCH;

    /**
     * The history of these recipients for these rules, for a set of decisions made together. With
     * {@code readAhead}, read with three grouped queries when first asked (the last message of
     * each rule per user and per account, and the messages sent or queued to each user since
     * {@code capsSince}, for the frequency caps); without, each question asks the log.
     */
    public RecipientsHistory forRecipients(Set<String> ruleIds, Set<String> userIds, Set<String> accountIds, Instant capsSince,
            boolean readAhead) {
        return new RecipientsHistory(ruleIds, userIds, accountIds, capsSince, readAhead, this);
    }

    void read(RecipientsHistory history, Set<String> ruleIds, Set<String> userIds, Set<String> accountIds, Instant capsSince) {
        if (ruleIds.isEmpty() || userIds.isEmpty()) {
            return;
        }
        EntityManager em = Message.getEntityManager();
        List<String> received = RECEIVED.stream().map(Enum::name).toList();
        for (Object[] row : rows(em.createNativeQuery("""
                select rule_id, user_id, max(created_at) from message
                where user_id in (:users) and rule_id in (:rules) and status in (:statuses) group by rule_id, user_id""")
                .setParameter("users", userIds).setParameter("rules", ruleIds).setParameter("statuses", received))) {
            history.userReceivedAt((String) row[0], (String) row[1], SqlTimes.toInstant(row[2]));
        }
        if (!accountIds.isEmpty()) {
            for (Object[] row : rows(em.createNativeQuery("""
                    select rule_id, account_id, max(created_at) from message
                    where account_id in (:accounts) and rule_id in (:rules) and status in (:statuses) group by rule_id, account_id""")
                    .setParameter("accounts", accountIds).setParameter("rules", ruleIds).setParameter("statuses", received))) {
                history.accountReceivedAt((String) row[0], (String) row[1], SqlTimes.toInstant(row[2]));
            }
        }
        for (Object[] row : rows(em.createNativeQuery("""
                select user_id, channel, created_at from message
                where user_id in (:users) and status in (:statuses) and created_at >= :since""")
                .setParameter("users", userIds).setParameter("statuses", DELIVERING.stream().map(Enum::name).toList())
                .setParameter("since", Timestamp.from(capsSince)))) {
            history.deliveringAt((String) row[0], Channel.valueOf((String) row[1]), SqlTimes.toInstant(row[2]));
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
                .createQuery("select m.id from Message m where m.ruleId = ?1 and m." + subject + " = ?2 and m.status in ?3 and m.createdAt >= ?4",
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
                .createQuery("select max(m.createdAt) from Message m where m.ruleId = ?1 and m." + subject + " = ?2 and m.status in ?3",
                        Instant.class)
                .setParameter(1, ruleId)
                .setParameter(2, accountId != null ? accountId : userId)
                .setParameter(3, RECEIVED)
                .getSingleResult();
    }

    @Override
    public long sentToUser(String userId, Channel channel, Instant since) {
        return Message.getEntityManager()
                .createQuery("select count(m) from Message m where m.userId = ?1 and m.channel = ?2 and m.status in ?3 and m.createdAt >= ?4",
                        Long.class)
                .setParameter(1, userId)
                .setParameter(2, channel)
                .setParameter(3, DELIVERING)
                .setParameter(4, since)
                .getSingleResult();
    }
}
