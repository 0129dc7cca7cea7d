package dev.kizuna.messages;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds messages in the log: one by id (as the API and UI show it, as the email sender needs it,
 * as an unsubscribe link acts on it), pages of the log by filters, and counts by rule.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class MessageSearch {

    private final MessageTimeline timeline;

    MessageSearch(MessageTimeline timeline) {
        this.timeline = timeline;
    }

    public Optional<MessageView> find(long id) {
        return Message.<Message>findByIdOptional(id)
                .map(message -> MessageView.of(message).withTimeline(timeline.timeline(id)));
    }

    /**
     * The queued emails among these messages, with one query, in the order of the ids given;
     * messages sent, failed, suppressed or gone meanwhile are left out.
     */
    public List<EmailToSend> emailsToSend(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, EmailToSend> found = new HashMap<>();
        for (Object[] row : Message.getEntityManager()
                .createQuery("""
                        select m.id, m.userId, m.channel, m.category, m.sender, m.recipient, m.subject, m.bodyHtml, m.bodyText,
                               m.headerMessageId, m.attempts, m.createdAt, m.ruleId, m.accountId
                          from Message m where m.id in :ids and m.status = :queued and m.channel <> :inapp""", Object[].class)
                .setParameter("ids", ids)
                .setParameter("queued", MessageStatus.QUEUED)
                .setParameter("inapp", Channel.INAPP)
                .getResultList()) {
            found.put(
                    (Long) row[0],
                    new EmailToSend(
                            (Long) row[0],
                            (String) row[1],
                            (Channel) row[2],
                            (String) row[3],
                            (String) row[4],
                            (String) row[5],
                            (String) row[6],
                            (String) row[7],
                            (String) row[8],
                            (String) row[9],
                            (Integer) row[10],
                            (Instant) row[11],
                            (String) row[12],
                            (String) row[13]));
        }
        List<EmailToSend> inOrder = new ArrayList<>(found.size());
        ids.stream().map(found::get).filter(Objects::nonNull).forEach(inOrder::add);
        return inOrder;
    }

    /** What the email sender needs of a queued message; its rule and account name it in the log. */
    public record EmailToSend(
            long id,
            String userId,
            Channel channel,
            String category,
            String sender,
            String recipient,
            String subject,
            String html,
            String text,
            String headerMessageId,
            int attempts,
            Instant createdAt,
            String ruleId,
            String accountId) {

        EmailToSend withHeaderMessageId(String headerMessageId) {
            return new EmailToSend(
                    id,
                    userId,
                    channel,
                    category,
                    sender,
                    recipient,
                    subject,
                    html,
                    text,
                    headerMessageId,
                    attempts,
                    createdAt,
                    ruleId,
                    accountId);
        }
    }

    /** When the last email of each category was sent to the user: what the evidence of their consents is kept after. */
    public Map<String, Instant> lastEmailByCategory(String userId) {
        Map<String, Instant> last = new HashMap<>();
        for (Object[] row : Message.getEntityManager()
                .createQuery("""
                        select m.category, max(m.sentAt) from Message m
                         where m.userId = :user and m.channel = :email and m.category is not null and m.sentAt is not null
                         group by m.category""", Object[].class)
                .setParameter("user", userId)
                .setParameter("email", Channel.EMAIL)
                .getResultList()) {
            last.put((String) row[0], (Instant) row[1]);
        }
        return last;
    }

    /** Whether an email of the category was sent to the user at or after {@code since}. */
    public boolean emailedSince(String userId, String category, Instant since) {
        return !Message.getEntityManager()
                .createQuery("""
                        select m.id from Message m
                         where m.userId = :user and m.category = :category and m.channel = :email and m.sentAt >= :since""", Long.class)
                .setParameter("user", userId)
                .setParameter("category", category)
                .setParameter("email", Channel.EMAIL)
                .setParameter("since", since)
                .setMaxResults(1)
                .getResultList()
                .isEmpty();
    }

    /** Who a message went to and in which category: what an unsubscribe link acts on. */
    public record Addressee(
            long id, String userId, String recipient, Channel channel, String category, String locale) {}

    public Optional<Addressee> addressee(long id) {
        return Message.<Message>findByIdOptional(id)
                .map(message -> new Addressee(
                        message.id,
                        message.userId,
                        message.recipient,
                        message.channel,
                        message.category,
                        message.locale));
    }

    /** How many messages each rule produced, by status. */
    public Map<String, Map<String, Long>> countsByRule() {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (Object[] row : Message.getEntityManager()
                .createQuery(
                        "select m.ruleId, m.status, count(m) from Message m group by m.ruleId, m.status",
                        Object[].class)
                .getResultList()) {
            counts.computeIfAbsent((String) row[0], rule -> new TreeMap<>())
                    .put(((MessageStatus) row[1]).wireName(), (Long) row[2]);
        }
        return counts;
    }

    /**
     * Filters of the message log; null means any. Newest first, paged by id. {@code from}
     * (inclusive) and {@code to} (exclusive) bound when the message was decided; {@code search}
     * is a case-insensitive part of the subject or the recipient.
     */
    public record Query(
            String accountId,
            String userId,
            String ruleId,
            Channel channel,
            MessageStatus status,
            Instant from,
            Instant to,
            String search,
            Long beforeId,
            int limit) {

        public Query(
                String accountId,
                String userId,
                String ruleId,
                Channel channel,
                MessageStatus status,
                Long beforeId,
                int limit) {
            this(accountId, userId, ruleId, channel, status, null, null, null, beforeId, limit);
        }
    }

    public List<MessageView> list(Query query) {
        List<String> where = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (query.accountId() != null) {
            where.add("accountId = :accountId");
            parameters.and("accountId", query.accountId());
        }
        if (query.userId() != null) {
            where.add("userId = :userId");
            parameters.and("userId", query.userId());
        }
        if (query.ruleId() != null) {
            where.add("ruleId = :ruleId");
            parameters.and("ruleId", query.ruleId());
        }
        if (query.channel() != null) {
            where.add("channel = :channel");
            parameters.and("channel", query.channel());
        }
        if (query.status() != null) {
            where.add("status = :status");
            parameters.and("status", query.status());
        }
        if (query.from() != null) {
            where.add("createdAt >= :from");
            parameters.and("from", query.from());
        }
        if (query.to() != null) {
            where.add("createdAt < :to");
            parameters.and("to", query.to());
        }
        if (query.search() != null) {
            // A contains-search cannot use an index; paging by id still stops at the first page of matches.
            where.add("(lower(subject) like :search escape '!' or lower(recipient) like :search escape '!')");
            parameters.and("search", "%" + likeEscaped(query.search().toLowerCase(Locale.ROOT)) + "%");
        }
        if (query.beforeId() != null) {
            where.add("id < :beforeId");
            parameters.and("beforeId", query.beforeId());
        }
        String jpql = where.isEmpty() ? "" : String.join(" and ", where);
        return Message.<Message>find(jpql, Sort.descending("id"), parameters).page(0, query.limit()).list().stream()
                .map(MessageView::of)
                .toList();
    }

    private static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
