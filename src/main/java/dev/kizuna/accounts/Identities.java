package dev.kizuna.accounts;

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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is who: the ids a user was known by before (aliases) and the accounts each user is a
 * member of. Writes join the caller's transaction.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Identities {

    /** alias: calls made under {@code previousId} from now on count for {@code userId}. */
    public void alias(String previousId, String userId, Instant at) {
        if (previousId.equals(userId)) {
            return;
        }
        em().createNativeQuery(
                        "insert into user_alias (previous_id, user_id, created_at) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, previousId)
                .setParameter(2, resolveUser(userId))
                .setParameter(3, Timestamp.from(at))
                .executeUpdate();
    }

    /** The user an id stands for: itself, or the user it was aliased to. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public String resolveUser(String id) {
        if (id == null) {
            return null;
        }
        List<?> aliased = em().createNativeQuery("select user_id from user_alias where previous_id = ?1")
                .setParameter(1, id)
                .getResultList();
        return aliased.isEmpty() ? id : (String) aliased.get(0);
    }

    /** The user each id stands for, read together: itself, or the user it was aliased to. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, String> resolveUsers(Collection<String> ids) {
        Map<String, String> resolved = new HashMap<>();
        ids.forEach(id -> resolved.put(id, id));
        if (!ids.isEmpty()) {
            for (Object row : em().createNativeQuery(
                            "select previous_id, user_id from user_alias where previous_id in (:ids)")
                    .setParameter("ids", ids)
                    .getResultList()) {
                Object[] columns = (Object[]) row;
                resolved.put((String) columns[0], (String) columns[1]);
            }
        }
        return resolved;
    }

    /** Which of these user ids are users (not erased, not unknown): one statement. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Set<String> existingUsers(Collection<String> userIds) {
        return usersAmong(userIds, "");
    }

    /** The same, with the users locked in id order, as erasure locks a user. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> lockExistingUsers(Collection<String> userIds) {
        return usersAmong(userIds, " order by id for update");
    }

    private Set<String> usersAmong(Collection<String> userIds, String locking) {
        Set<String> existing = new HashSet<>();
        if (!userIds.isEmpty()) {
            for (Object id : em().createNativeQuery("select id from app_user where id in (:ids)" + locking)
                    .setParameter("ids", userIds)
                    .getResultList()) {
                existing.add((String) id);
            }
        }
        return existing;
    }

    /** The accounts each user is in, read together. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, List<String>> memberships(Collection<String> userIds) {
        return userIds.isEmpty() ? Map.of() : membershipsOf(userIds);
    }

    /**
     * For each id that stands for a user in an account (itself, or aliased to one), the account
     * that user joined first; read with one query. Ids of users in no account are left out.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, String> firstAccounts(Collection<String> ids) {
        Map<String, String> first = new HashMap<>();
        if (ids.isEmpty()) {
            return first;
        }
        for (Object row : em().createNativeQuery("""
                        select m.user_id, m.account_id, m.joined_at from membership m where m.user_id in (:ids)
                        union all
                        select a.previous_id, m.account_id, m.joined_at
                          from user_alias a join membership m on m.user_id = a.user_id where a.previous_id in (:ids)
                         order by 3""").setParameter("ids", ids).getResultList()) {
            Object[] columns = (Object[]) row;
            first.putIfAbsent((String) columns[0], (String) columns[1]);
        }
        return first;
    }

    /** The accounts an event is about: the one it names, or else every account the user is in. */
    public List<String> accountsFor(String userId, String namedAccountId) {
        if (namedAccountId != null) {
            return List.of(namedAccountId);
        }
        return userId == null ? List.of() : membershipsOf(List.of(userId)).getOrDefault(userId, List.of());
    }

    /** Makes a user a member of an account; being one already changes nothing. */
    void join(String accountId, String userId, Instant at) {
        em().createNativeQuery(
                        "insert into membership (account_id, user_id, joined_at) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, accountId)
                .setParameter(2, userId)
                .setParameter(3, Timestamp.from(at))
                .executeUpdate();
    }

    /** Ends every membership of a user, for erasure. */
    void leaveAll(String userId) {
        em().createNativeQuery("delete from membership where user_id = ?1")
                .setParameter(1, userId)
                .executeUpdate();
    }

    /** Forgets the aliases of a user, both ways, for erasure. */
    void forgetAliases(String userId) {
        em().createNativeQuery("delete from user_alias where user_id = ?1 or previous_id = ?1")
                .setParameter(1, userId)
                .executeUpdate();
    }

    /** The accounts of each user, in the order joined. */
    @Transactional(Transactional.TxType.SUPPORTS)
    Map<String, List<String>> membershipsOf(Collection<String> userIds) {
        return valuesById(em().createQuery(
                        "select m.userId, m.accountId from Membership m where m.userId in :ids order by m.joinedAt",
                        Object[].class)
                .setParameter("ids", userIds)
                .getResultList());
    }

    /** The first 1000 members of each account, in the order they joined. */
    @Transactional(Transactional.TxType.SUPPORTS)
    Map<String, List<String>> membersOf(Collection<String> accountIds) {
        return valuesById(
                em().createNativeQuery("""
                select account_id, user_id from (
                    select account_id, user_id, joined_at, row_number() over (partition by account_id order by joined_at) as position
                      from membership where account_id in (:ids)) ranked
                 where position <= 1000 order by account_id, joined_at""").setParameter("ids", accountIds).getResultList());
    }

    /** Two-column rows (an id, a value) as each id's values, in the rows' order. */
    private static Map<String, List<String>> valuesById(List<?> rows) {
        Map<String, List<String>> values = new HashMap<>();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            values.computeIfAbsent((String) columns[0], id -> new ArrayList<>()).add((String) columns[1]);
        }
        return values;
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }
}
