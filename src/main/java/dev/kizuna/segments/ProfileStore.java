package dev.kizuna.segments;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountWriter;
import dev.kizuna.accounts.GoalActivity;
import dev.kizuna.accounts.StoredProfiles;
import dev.kizuna.common.MultiRowInsert;
import dev.kizuna.common.SqlTimes;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store of what was computed about accounts: the segments each account is in and the
 * milestones it reached; activation, lifecycle and health stay on the account itself. Writes join
 * the caller's transaction, so that a profile and the decisions it causes commit together.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ProfileStore implements StoredProfiles {

    private final AccountWriter accounts;
    private final GoalActivity goalActivity;

    ProfileStore(AccountWriter accounts, GoalActivity goalActivity) {
        this.accounts = accounts;
        this.goalActivity = goalActivity;
    }

    /**
     * Stores what was computed about an account; returns the segments it entered and left, so
     * that segment triggers can fire.
     */
    public SegmentChange save(
            String accountId, AccountSnapshot.Profile previous, AccountSnapshot.Profile profile, Instant at) {
        accounts.saveProfile(accountId, profile);
        recordStages(Map.of(accountId, previous), Map.of(accountId, profile), at);
        List<String> before = segmentsOf(List.of(accountId)).getOrDefault(accountId, List.of());
        List<String> entered = profile.segments().stream()
                .filter(segment -> !before.contains(segment))
                .toList();
        List<String> left = before.stream()
                .filter(segment -> !profile.segments().contains(segment))
                .toList();
        for (String segment : entered) {
            em().createNativeQuery(
                            "insert into account_segment (account_id, segment, entered_at) values (?1, ?2, ?3) on conflict do nothing")
                    .setParameter(1, accountId)
                    .setParameter(2, segment)
                    .setParameter(3, Timestamp.from(at))
                    .executeUpdate();
        }
        for (String segment : left) {
            em().createNativeQuery("delete from account_segment where account_id = ?1 and segment = ?2")
                    .setParameter(1, accountId)
                    .setParameter(2, segment)
                    .executeUpdate();
        }
        Map<String, Instant> known = milestonesOf(List.of(accountId)).getOrDefault(accountId, Map.of());
        boolean reached = false;
        for (Map.Entry<String, Instant> milestone : profile.milestones().entrySet()) {
            if (!known.containsKey(milestone.getKey())) {
                em().createNativeQuery(
                                "insert into account_milestone (account_id, milestone, reached_at) values (?1, ?2, ?3) on conflict do nothing")
                        .setParameter(1, accountId)
                        .setParameter(2, milestone.getKey())
                        .setParameter(3, Timestamp.from(milestone.getValue()))
                        .executeUpdate();
                reached = true;
            }
        }
        if (reached) {
            goalActivity.record(List.of(accountId), at);
        }
        return new SegmentChange(entered, left);
    }

    /**
     * Stores what was computed about several accounts, each against the profile it had when it
     * was read: a statement per table for all of them. Returns the segments each account entered
     * and left. Accounts read without a lock (a sweep's) may have been changed meanwhile by
     * another writer: segments and milestones already stored are left as they are.
     */
    public Map<String, SegmentChange> saveAll(
            Map<String, AccountSnapshot.Profile> before, Map<String, AccountSnapshot.Profile> after, Instant at) {
        accounts.saveProfiles(after);
        recordStages(before, after, at);
        Map<String, SegmentChange> changes = new HashMap<>();
        List<Object[]> entered = new ArrayList<>();
        List<Object[]> left = new ArrayList<>();
        List<Object[]> reached = new ArrayList<>();
        after.forEach((accountId, profile) -> {
            AccountSnapshot.Profile previous = before.get(accountId);
            List<String> enteredSegments = profile.segments().stream()
                    .filter(segment -> !previous.segments().contains(segment))
                    .toList();
            List<String> leftSegments = previous.segments().stream()
                    .filter(segment -> !profile.segments().contains(segment))
                    .toList();
            enteredSegments.forEach(segment -> entered.add(new Object[] {accountId, segment, at}));
            leftSegments.forEach(segment -> left.add(new Object[] {accountId, segment}));
            profile.milestones().forEach((milestone, reachedAt) -> {
                if (!previous.milestones().containsKey(milestone)) {
                    reached.add(new Object[] {accountId, milestone, reachedAt});
                }
            });
            changes.put(accountId, new SegmentChange(enteredSegments, leftSegments));
        });
        if (!entered.isEmpty()) {
            MultiRowInsert.insertMissing("account_segment", List.of("account_id", "segment", "entered_at"), entered);
        }
        if (!left.isEmpty()) {
            String pairs = String.join(
                    " or ",
                    left.stream().map(row -> "(account_id = ? and segment = ?)").toList());
            var delete = em().createNativeQuery("delete from account_segment where " + pairs);
            int parameter = 0;
            for (Object[] row : left) {
                delete.setParameter(++parameter, row[0]).setParameter(++parameter, row[1]);
            }
            delete.executeUpdate();
        }
        if (!reached.isEmpty()) {
            MultiRowInsert.insertMissing(
                    "account_milestone", List.of("account_id", "milestone", "reached_at"), reached);
            goalActivity.record(reached.stream().map(row -> (String) row[0]).toList(), at);
        }
        return changes;
    }

    /** The lifecycle stages that changed go to the accounts' history. */
    private void recordStages(
            Map<String, AccountSnapshot.Profile> before, Map<String, AccountSnapshot.Profile> after, Instant at) {
        Map<String, String> changed = new HashMap<>();
        after.forEach((accountId, profile) -> {
            if (profile.lifecycleStage() != null
                    && !profile.lifecycleStage().equals(before.get(accountId).lifecycleStage())) {
                changed.put(accountId, profile.lifecycleStage());
            }
        });
        accounts.recordStages(changed, at);
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, List<String>> segmentsOf(Collection<String> accountIds) {
        Map<String, List<String>> segments = new HashMap<>();
        for (Object row : em().createNativeQuery(
                        "select account_id, segment from account_segment where account_id in (:ids) order by segment")
                .setParameter("ids", accountIds)
                .getResultList()) {
            Object[] columns = (Object[]) row;
            segments.computeIfAbsent((String) columns[0], id -> new ArrayList<>())
                    .add((String) columns[1]);
        }
        return segments;
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Map<String, Instant>> milestonesOf(Collection<String> accountIds) {
        Map<String, Map<String, Instant>> milestones = new HashMap<>();
        for (Object row :
                em().createNativeQuery("""
                select account_id, milestone, reached_at from account_milestone where account_id in (:ids) order by reached_at""").setParameter("ids", accountIds).getResultList()) {
            Object[] columns = (Object[]) row;
            milestones
                    .computeIfAbsent((String) columns[0], id -> new LinkedHashMap<>())
                    .put((String) columns[1], SqlTimes.toInstant(columns[2]));
        }
        return milestones;
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }
}
