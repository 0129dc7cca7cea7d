package dev.kizuna.tracking;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.common.SqlTimes;
import dev.kizuna.messages.MessageSearch;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The evidence of each user's opt-in to subscription categories: every consent given or
 * withdrawn, when, from where, and the wording or form the user saw. The latest record of a user
 * and category (by the time it happened) says whether consent stands. Giving consent subscribes
 * the user to the category again; withdrawing it unsubscribes them, as an unsubscribe link does.
 */
@ApplicationScoped
public class Consents {

    private final Subscriptions subscriptions;
    private final MessageSearch messages;
    private final AccountSnapshots users;

    Consents(Subscriptions subscriptions, MessageSearch messages, AccountSnapshots users) {
        this.subscriptions = subscriptions;
        this.messages = messages;
        this.users = users;
    }

    /** The longest texts the evidence keeps. */
    static final int MAX_WORDING = 2000;

    static final int MAX_FORM_ID = 255;
    static final int MAX_SOURCE = 64;

    /** How a consent was given or withdrawn: when, from where, what the user saw, and the call that said so. */
    public record Evidence(Instant at, String source, String wording, String formId, String eventId) {}

    /** One record of the evidence; {@code given} false is a withdrawal. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConsentRecord(
            String category,
            boolean given,
            Instant recordedAt,
            String source,
            String wording,
            String formId,
            String eventId) {}

    /** Records that the user consented to the category's emails. */
    @Transactional(Transactional.TxType.REQUIRED)
    public void give(String userId, String category, Evidence evidence) {
        insert(userId, category, true, evidence);
        // A consent recorded late (an older event) does not undo a withdrawal that came after it.
        if (standing(userId, category) && !subscriptions.isSubscribed(userId, category)) {
            subscriptions.set(userId, category, true);
        }
    }

    /** Records that the user withdrew their consent to the category's emails: they are unsubscribed from it. */
    @Transactional(Transactional.TxType.REQUIRED)
    public void withdraw(String userId, String category, Evidence evidence) {
        insert(userId, category, false, evidence);
        if (!standing(userId, category) && subscriptions.isSubscribed(userId, category)) {
            subscriptions.set(userId, category, false);
        }
    }

    /**
     * An unsubscribe is a withdrawal too: records one for the category (or, when null, every
     * category) whose consent stands. The caller unsubscribes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void withdrawStanding(String userId, String category, Evidence evidence) {
        for (Map.Entry<String, ConsentRecord> entry : latest(userId).entrySet()) {
            if (entry.getValue().given() && (category == null || category.equals(entry.getKey()))) {
                insert(userId, entry.getKey(), false, evidence);
            }
        }
    }

    /** Whether the user's consent to the category stands. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean standing(String userId, String category) {
        ConsentRecord latest = latest(userId).get(category);
        return latest != null && latest.given();
    }

    /** The latest record per category: what stands now, with its evidence. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, ConsentRecord> latest(String userId) {
        Map<String, ConsentRecord> latest = new LinkedHashMap<>();
        for (ConsentRecord record : evidence(userId)) {
            latest.put(record.category(), record);
        }
        return latest;
    }

    /** Every record of the user's, by category, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ConsentRecord> evidence(String userId) {
        List<ConsentRecord> records = new ArrayList<>();
        for (Object row : em().createNativeQuery(
                        "select category, given, recorded_at, source, wording, form_id, event_id from consent_record "
                                + "where user_id = ?1 order by category, recorded_at, id")
                .setParameter(1, userId)
                .getResultList()) {
            Object[] columns = (Object[]) row;
            records.add(new ConsentRecord(
                    (String) columns[0],
                    Boolean.TRUE.equals(columns[1]),
                    SqlTimes.toInstant(columns[2]),
                    (String) columns[3],
                    (String) columns[4],
                    (String) columns[5],
                    (String) columns[6]));
        }
        return records;
    }

    /** The categories whose consent stands, for each of these users: one query for a set of decisions. */
    @Transactional(Transactional.TxType.SUPPORTS)
    Map<String, Set<String>> consentedAmong(Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        Map<String, Map<String, Boolean>> latest = new HashMap<>();
        for (Object row : em().createNativeQuery(
                        "select user_id, category, given from consent_record where user_id in (:users) "
                                + "order by user_id, category, recorded_at, id")
                .setParameter("users", userIds)
                .getResultList()) {
            Object[] columns = (Object[]) row;
            latest.computeIfAbsent((String) columns[0], user -> new HashMap<>())
                    .put((String) columns[1], Boolean.TRUE.equals(columns[2]));
        }
        Map<String, Set<String>> consented = new HashMap<>();
        latest.forEach((user, categories) -> categories.forEach((category, given) -> {
            if (given) {
                consented.computeIfAbsent(user, none -> new HashSet<>()).add(category);
            }
        }));
        return consented;
    }

    /**
     * Erasure: the user's records lose the user and keep the hash of the address, the dates, the
     * source and wording, and when the category's last email was sent, so that the consent behind
     * an email can still be shown until the retention after it ends.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int eraseUser(String userId, String address, Instant now) {
        Map<String, Instant> lastEmails = messages.lastEmailByCategory(userId);
        int erased = 0;
        for (String category : latest(userId).keySet()) {
            Instant lastEmail = lastEmails.get(category);
            erased += em().createNativeQuery(
                            "update consent_record set user_id = null, address_hash = coalesce(address_hash, ?1), "
                                    + "erased_at = ?2, last_email_at = ?3 where user_id = ?4 and category = ?5")
                    .setParameter(1, address == null ? null : SuppressionList.hash(address))
                    .setParameter(2, Timestamp.from(now))
                    .setParameter(3, lastEmail == null ? null : Timestamp.from(lastEmail))
                    .setParameter(4, userId)
                    .setParameter(5, category)
                    .executeUpdate();
        }
        return erased;
    }

    /**
     * Removes the evidence no longer needed: of consents that no longer stand (withdrawn, or the
     * user erased) whose last email of the category, and whose withdrawal, came before the cutoff.
     * Evidence of a standing consent is kept.
     */
    @Transactional(Transactional.TxType.REQUIRED)
    public int purge(Instant cutoff) {
        Timestamp before = Timestamp.from(cutoff);
        int removed = em().createNativeQuery(
                        "delete from consent_record where user_id is null and (last_email_at is null or last_email_at < ?1)")
                .setParameter(1, before)
                .executeUpdate();
        List<?> withdrawn = em().createNativeQuery(
                        "select c.user_id, c.category from consent_record c "
                                + "where c.user_id is not null and c.given = false and c.recorded_at < ?1 "
                                + "and not exists (select 1 from consent_record later where later.user_id = c.user_id and later.category = c.category "
                                + "and (later.recorded_at > c.recorded_at or (later.recorded_at = c.recorded_at and later.id > c.id)))")
                .setParameter(1, before)
                .getResultList();
        for (Object row : withdrawn) {
            Object[] columns = (Object[]) row;
            String userId = (String) columns[0];
            String category = (String) columns[1];
            if (messages.emailedSince(userId, category, cutoff)) {
                continue;
            }
            removed += em().createNativeQuery("delete from consent_record where user_id = ?1 and category = ?2")
                    .setParameter(1, userId)
                    .setParameter(2, category)
                    .executeUpdate();
        }
        return removed;
    }

    /** The erased records still kept for an address, for the question "did this address consent?" after erasure. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ErasedRecord> erasedEvidence(String address) {
        List<ErasedRecord> records = new ArrayList<>();
        for (Object row : em().createNativeQuery(
                        "select category, given, recorded_at, source, wording, form_id, erased_at, last_email_at "
                                + "from consent_record where user_id is null and address_hash = ?1 order by category, recorded_at, id")
                .setParameter(1, SuppressionList.hash(address))
                .getResultList()) {
            Object[] columns = (Object[]) row;
            records.add(new ErasedRecord(
                    (String) columns[0],
                    Boolean.TRUE.equals(columns[1]),
                    SqlTimes.toInstant(columns[2]),
                    (String) columns[3],
                    (String) columns[4],
                    (String) columns[5],
                    SqlTimes.toInstant(columns[6]),
                    SqlTimes.toInstant(columns[7])));
        }
        return records;
    }

    /** A record of an erased user: no user, the dates kept. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErasedRecord(
            String category,
            boolean given,
            Instant recordedAt,
            String source,
            String wording,
            String formId,
            Instant erasedAt,
            Instant lastEmailAt) {}

    private void insert(String userId, String category, boolean given, Evidence evidence) {
        String email = users.user(userId).map(UserSnapshot::email).orElse(null);
        em().createNativeQuery(
                        "insert into consent_record (user_id, address_hash, category, given, recorded_at, source, wording, form_id, "
                                + "event_id) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .setParameter(1, userId)
                .setParameter(2, email == null ? null : SuppressionList.hash(email))
                .setParameter(3, category)
                .setParameter(4, given)
                .setParameter(5, Timestamp.from(evidence.at()))
                .setParameter(6, evidence.source())
                .setParameter(7, evidence.wording())
                .setParameter(8, evidence.formId())
                .setParameter(9, evidence.eventId())
                .executeUpdate();
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }
}
