package dev.kizuna.accounts;

import dev.kizuna.common.JsonText;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Account and user state, updated by identify, group and track calls. Writes join the caller's
 * transaction so that a state change and the decisions it causes commit together.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class AccountState {

    static final String ACCOUNT = "account";
    static final String USER = "user";

    /** identify: creates the user or merges the new traits into the known ones. */
    public void identify(String userId, Map<String, Object> traits, ContactDetails contact, Instant at) {
        AppUser user = lockUser(userId, at);
        Map<String, Object> merged = JsonText.readObject(user.traits);
        merged.putAll(traits);
        user.traits = JsonText.write(merged);
        user.email = firstNonNull(contact.email(), user.email);
        user.name = firstNonNull(contact.name(), user.name);
        user.locale = firstNonNull(contact.locale(), user.locale);
        user.timezone = firstNonNull(contact.timezone(), user.timezone);
        user.updatedAt = at;
    }

    /** group: creates the account or merges traits, and makes the user a member. */
    public void group(String userId, String accountId, Map<String, Object> traits, Instant at) {
        Account account = lockAccount(accountId, at);
        Map<String, Object> merged = JsonText.readObject(account.traits);
        merged.putAll(traits);
        account.traits = JsonText.write(merged);
        account.updatedAt = at;
        if (userId != null) {
            lockUser(userId, at);
            em().createNativeQuery("insert into membership (account_id, user_id, joined_at) values (?1, ?2, ?3) on conflict do nothing")
                    .setParameter(1, accountId)
                    .setParameter(2, userId)
                    .setParameter(3, Timestamp.from(at))
                    .executeUpdate();
        }
    }

    /** track: counts the event for the user and for each account it belongs to. */
    public void recordEvent(String userId, List<String> accountIds, String eventName, Instant at) {
        if (userId != null) {
            lockUser(userId, at);
            count(USER, userId, eventName, at);
        }
        for (String accountId : accountIds) {
            lockAccount(accountId, at);
            count(ACCOUNT, accountId, eventName, at);
        }
    }

    /** The accounts an event is about: the one it names, or else every account the user is in. */
    public List<String> accountsFor(String userId, String namedAccountId) {
        if (namedAccountId != null) {
            return List.of(namedAccountId);
        }
        return userId == null ? List.of() : membershipsOf(userId);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<AccountSnapshot> account(String accountId) {
        Account account = Account.findById(accountId);
        if (account == null) {
            return Optional.empty();
        }
        return Optional.of(new AccountSnapshot(
                account.id, JsonText.readObject(account.traits), account.firstSeenAt, eventsOf(ACCOUNT, accountId)));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<UserSnapshot> user(String userId) {
        AppUser user = AppUser.findById(userId);
        if (user == null) {
            return Optional.empty();
        }
        return Optional.of(new UserSnapshot(
                user.id, user.email, user.name, user.locale, user.timezone, JsonText.readObject(user.traits),
                user.firstSeenAt, membershipsOf(userId), eventsOf(USER, userId)));
    }

    private List<String> membershipsOf(String userId) {
        return em().createQuery("select m.accountId from Membership m where m.userId = ?1 order by m.joinedAt", String.class)
                .setParameter(1, userId)
                .getResultList();
    }

    private Map<String, EventStats> eventsOf(String subjectType, String subjectId) {
        List<EventAggregate> rows = EventAggregate.list("subjectType = ?1 and subjectId = ?2", subjectType, subjectId);
        Map<String, EventStats> events = new LinkedHashMap<>();
        for (EventAggregate row : rows) {
            events.put(row.eventName, new EventStats(row.eventCount, row.firstAt, row.lastAt));
        }
        return events;
    }

    /** Insert-if-absent then lock: safe when two instances see the same new account at once. */
    private Account lockAccount(String accountId, Instant at) {
        em().createNativeQuery("insert into account (id, traits, first_seen_at, updated_at) values (?1, '{}', ?2, ?2) on conflict do nothing")
                .setParameter(1, accountId)
                .setParameter(2, Timestamp.from(at))
                .executeUpdate();
        return em().find(Account.class, accountId, LockModeType.PESSIMISTIC_WRITE);
    }

    private AppUser lockUser(String userId, Instant at) {
        em().createNativeQuery("insert into app_user (id, traits, first_seen_at, updated_at) values (?1, '{}', ?2, ?2) on conflict do nothing")
                .setParameter(1, userId)
                .setParameter(2, Timestamp.from(at))
                .executeUpdate();
        return em().find(AppUser.class, userId, LockModeType.PESSIMISTIC_WRITE);
    }

    private void count(String subjectType, String subjectId, String eventName, Instant at) {
        Timestamp when = Timestamp.from(at);
        em().createNativeQuery("""
                insert into event_aggregate (subject_type, subject_id, event_name, event_count, first_at, last_at)
                values (?1, ?2, ?3, 0, ?4, ?4) on conflict do nothing""")
                .setParameter(1, subjectType)
                .setParameter(2, subjectId)
                .setParameter(3, eventName)
                .setParameter(4, when)
                .executeUpdate();
        em().createNativeQuery("""
                update event_aggregate
                   set event_count = event_count + 1,
                       first_at = case when first_at > ?4 then ?4 else first_at end,
                       last_at = case when last_at < ?4 then ?4 else last_at end
                 where subject_type = ?1 and subject_id = ?2 and event_name = ?3""")
                .setParameter(1, subjectType)
                .setParameter(2, subjectId)
                .setParameter(3, eventName)
                .setParameter(4, when)
                .executeUpdate();
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }

    private static String firstNonNull(String preferred, String fallback) {
        return preferred != null ? preferred : fallback;
    }
}
