package dev.kizuna.tracking;

import dev.kizuna.problem.ProblemException;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Each user's choice per subscription category (the category of a template). A user is
 * subscribed to a category until they say otherwise.
 */
@ApplicationScoped
public class Subscriptions {

    /** What a category is called in template.yaml and in the API: lower-case letters, digits, '-' and '_'. */
    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    static boolean isCategory(String name) {
        return CATEGORY.matcher(name).matches();
    }

    /** A 400 naming the category path segment when it is not a category's name. */
    static void checkCategory(String category) {
        if (!isCategory(category)) {
            throw ProblemException.badField(
                    "category", "must be lower-case letters, digits, '-' or '_', at most 64 characters");
        }
    }

    private final Clock clock;

    Subscriptions(Clock clock) {
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean isSubscribed(String userId, String category) {
        List<?> rows = Panache.getEntityManager()
                .createNativeQuery(
                        "select subscribed from subscription_preference where user_id = ?1 and category = ?2")
                .setParameter(1, userId)
                .setParameter(2, category)
                .getResultList();
        return rows.isEmpty() || Boolean.TRUE.equals(rows.get(0));
    }

    /** The categories each of these users unsubscribed from: one query for a set of decisions. */
    @Transactional(Transactional.TxType.SUPPORTS)
    Map<String, Set<String>> unsubscribedAmong(Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        Map<String, Set<String>> unsubscribed = new HashMap<>();
        for (Object row : Panache.getEntityManager()
                .createNativeQuery(
                        "select user_id, category from subscription_preference where user_id in (:users) and subscribed = false")
                .setParameter("users", userIds)
                .getResultList()) {
            Object[] columns = (Object[]) row;
            unsubscribed
                    .computeIfAbsent((String) columns[0], user -> new HashSet<>())
                    .add((String) columns[1]);
        }
        return unsubscribed;
    }

    @Transactional(Transactional.TxType.REQUIRED)
    public void set(String userId, String category, boolean subscribed) {
        Timestamp now = Timestamp.from(Instant.now(clock));
        // Update, else insert; a concurrent insert of the same choice makes the insert a no-op, so update once more.
        if (update(userId, category, subscribed, now) == 0) {
            int inserted = Panache.getEntityManager()
                    .createNativeQuery(
                            "insert into subscription_preference (user_id, category, subscribed, updated_at) "
                                    + "values (?1, ?2, ?3, ?4) on conflict do nothing")
                    .setParameter(1, userId)
                    .setParameter(2, category)
                    .setParameter(3, subscribed)
                    .setParameter(4, now)
                    .executeUpdate();
            if (inserted == 0) {
                update(userId, category, subscribed, now);
            }
        }
    }

    private static int update(String userId, String category, boolean subscribed, Timestamp now) {
        return Panache.getEntityManager()
                .createNativeQuery(
                        "update subscription_preference set subscribed = ?1, updated_at = ?2 where user_id = ?3 and category = ?4")
                .setParameter(1, subscribed)
                .setParameter(2, now)
                .setParameter(3, userId)
                .setParameter(4, category)
                .executeUpdate();
    }

    /** The categories the user has a stated choice for. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Boolean> choices(String userId) {
        Map<String, Boolean> choices = new LinkedHashMap<>();
        for (Object row : Panache.getEntityManager()
                .createNativeQuery(
                        "select category, subscribed from subscription_preference where user_id = ?1 order by category")
                .setParameter(1, userId)
                .getResultList()) {
            Object[] columns = (Object[]) row;
            choices.put((String) columns[0], Boolean.TRUE.equals(columns[1]));
        }
        return choices;
    }

    /** Erasure: the user's choices go (an erased address is suppressed anyway). */
    @Transactional(Transactional.TxType.MANDATORY)
    public int eraseUser(String userId) {
        return Panache.getEntityManager()
                .createNativeQuery("delete from subscription_preference where user_id = ?1")
                .setParameter(1, userId)
                .executeUpdate();
    }
}
