package dev.kizuna.accounts;

import dev.kizuna.common.JsonText;
import dev.kizuna.common.SqlTimes;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.hibernate.Session;
import org.hibernate.SessionCheckMode;

/**
 * Account and user state, updated by identify, group and track calls. Writes join the caller's
 * transaction so that a state change and the decisions it causes commit together.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class AccountState {

    static final String ACCOUNT = "account";
    static final String USER = "user";
    /** How many days of per-day counts a snapshot carries for "in the last N days". */
    public static final int RECENT_DAYS = 90;

    private final Clock clock;

    AccountState(Clock clock) {
        this.clock = clock;
    }

    /** identify: creates the user or merges the new traits into the known ones. */
    public void identify(String userId, Map<String, Object> traits, ContactDetails contact, Instant at) {
        AppUser user = lockUser(userId, at);
        Map<String, Object> merged = JsonText.readObject(user.traits);
        merged.putAll(traits);
        user.traits = JsonText.write(merged);
        // Values that do not fit their column stay in the traits only.
        user.email = firstNonNull(AccountTraits.address(contact.email(), 320), user.email);
        user.name = firstNonNull(AccountTraits.text(contact.name(), 255), user.name);
        user.locale = firstNonNull(AccountTraits.text(contact.locale(), 35), user.locale);
        String zone = AccountTraits.text(contact.timezone(), 64);
        user.timezone = firstNonNull(zone != null && AccountTraits.isZone(zone) ? zone : null, user.timezone);
        user.updatedAt = at;
    }

    /** group: creates the account or merges traits (never replaces them), and makes the user a member. */
    public void group(String userId, String accountId, Map<String, Object> traits, Instant at) {
        Account account = lockAccount(accountId, at);
        Map<String, Object> merged = JsonText.readObject(account.traits);
        merged.putAll(traits);
        account.traits = JsonText.write(merged);
        AccountTraits.apply(merged, account);
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

    /** track, page, screen: counts the event for the user and for each account it is about. */
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

    /** alias: calls made under {@code previousId} from now on count for {@code userId}. */
    public void alias(String previousId, String userId, Instant at) {
        if (previousId.equals(userId)) {
            return;
        }
        em().createNativeQuery("insert into user_alias (previous_id, user_id, created_at) values (?1, ?2, ?3) on conflict do nothing")
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
            for (Object row : em().createNativeQuery("select previous_id, user_id from user_alias where previous_id in (:ids)")
                    .setParameter("ids", ids)
                    .getResultList()) {
                Object[] columns = (Object[]) row;
                resolved.put((String) columns[0], (String) columns[1]);
            }
        }
        return resolved;
    }

    /** The accounts each user is in, read together. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, List<String>> memberships(Collection<String> userIds) {
        return userIds.isEmpty() ? Map.of() : membershipsOf(userIds);
    }

    /**
     * Locks every account and then every user a unit of work will change, each set in id order,
     * creating those that do not exist yet (first seen at the time given for each). When every
     * writer of account and user state takes its locks here first, two units that share accounts
     * or users wait for each other one way only and never deadlock; later locks on the same rows
     * within the unit are then free.
     */
    public void lockInOrder(Map<String, Instant> accountsFirstSeen, Map<String, Instant> usersFirstSeen) {
        lockInOrder(ACCOUNT_TABLE, accountsFirstSeen);
        lockInOrder(USER_TABLE, usersFirstSeen);
    }

    private static final String ACCOUNT_TABLE = "account";
    private static final String USER_TABLE = "app_user";

    /**
     * Rows not seen yet are inserted in id order (a row another transaction inserted and has not
     * committed makes the insert wait, as a lock would), then all rows are locked in the
     * database's id order in one statement. Usually every row exists: two statements.
     */
    private static void lockInOrder(String table, Map<String, Instant> firstSeen) {
        if (firstSeen.isEmpty()) {
            return;
        }
        Set<String> existing = new HashSet<>();
        for (Object id : em().createNativeQuery("select id from " + table + " where id in (:ids)")
                .setParameter("ids", firstSeen.keySet())
                .getResultList()) {
            existing.add((String) id);
        }
        for (Map.Entry<String, Instant> row : new TreeMap<>(firstSeen).entrySet()) {
            if (!existing.contains(row.getKey())) {
                em().createNativeQuery("insert into " + table + " (id, traits, first_seen_at, updated_at) values (?1, '{}', ?2, ?2) on conflict do nothing")
                        .setParameter(1, row.getKey())
                        .setParameter(2, Timestamp.from(row.getValue()))
                        .executeUpdate();
            }
        }
        em().createNativeQuery("select id from " + table + " where id in (:ids) order by id for update")
                .setParameter("ids", firstSeen.keySet())
                .getResultList();
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
        return Optional.ofNullable(accounts(List.of(accountId)).get(accountId));
    }

    /** Snapshots of several accounts read together, for sweeps: a few queries for a page, not a few per account. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, AccountSnapshot> accounts(Collection<String> accountIds) {
        if (accountIds.isEmpty()) {
            return Map.of();
        }
        List<Account> rows = loaded(Account.class, accountIds);
        Map<String, List<String>> members = membersOf(accountIds);
        Map<String, Map<String, EventStats>> events = eventsOf(ACCOUNT, accountIds);
        Map<String, List<String>> segments = segmentsOf(accountIds);
        Map<String, Map<String, Instant>> milestones = milestonesOf(accountIds);
        Map<String, AccountSnapshot> snapshots = new HashMap<>();
        for (Account account : rows) {
            Map<String, Object> traits = JsonText.readObject(account.traits);
            AccountSnapshot.Profile profile = new AccountSnapshot.Profile(segments.getOrDefault(account.id, List.of()),
                    milestones.getOrDefault(account.id, Map.of()), account.activatedAt, account.lifecycleStage, account.healthScore,
                    account.healthBand);
            snapshots.put(account.id, new AccountSnapshot(
                    account.id, traits.get("name") instanceof String name ? name : null, account.plan, account.mrr, account.arr,
                    account.signedUpAt != null ? account.signedUpAt : account.firstSeenAt, account.timezone, account.locale,
                    account.ownerCsm, traits, account.firstSeenAt, members.getOrDefault(account.id, List.of()),
                    events.getOrDefault(account.id, Map.of()), profile));
        }
        return snapshots;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<UserSnapshot> user(String userId) {
        return Optional.ofNullable(users(List.of(userId)).get(userId));
    }

    /** Snapshots of several users read together. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, UserSnapshot> users(Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        List<AppUser> rows = loaded(AppUser.class, userIds);
        Map<String, List<String>> memberships = membershipsOf(userIds);
        Map<String, Map<String, EventStats>> events = eventsOf(USER, userIds);
        Map<String, UserSnapshot> snapshots = new HashMap<>();
        for (AppUser user : rows) {
            snapshots.put(user.id, new UserSnapshot(
                    user.id, user.email, user.name, user.locale, user.timezone, JsonText.readObject(user.traits),
                    user.firstSeenAt, memberships.getOrDefault(user.id, List.of()), events.getOrDefault(user.id, Map.of())));
        }
        return snapshots;
    }

    /** Filters of the account list; null means any. Ordered by id, paged after an id. */
    public record AccountQuery(String plan, String ownerCsm, String search, String after, int limit) {}

    /** An account in a list. */
    public record AccountSummary(String id, String name, String plan, java.math.BigDecimal mrr, String ownerCsm, Instant signedUpAt,
            Instant updatedAt) {}

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AccountSummary> list(AccountQuery query) {
        List<String> where = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (query.plan() != null) {
            where.add("plan = :plan");
            parameters.and("plan", query.plan());
        }
        if (query.ownerCsm() != null) {
            where.add("ownerCsm = :ownerCsm");
            parameters.and("ownerCsm", query.ownerCsm());
        }
        if (query.search() != null) {
            where.add("(lower(id) like :search or lower(traits) like :search)");
            parameters.and("search", "%" + query.search().toLowerCase().replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (query.after() != null) {
            where.add("id > :after");
            parameters.and("after", query.after());
        }
        return Account.<Account>find(String.join(" and ", where), Sort.ascending("id"), parameters)
                .page(0, query.limit())
                .list()
                .stream()
                .map(account -> new AccountSummary(account.id, JsonText.readObject(account.traits).get("name") instanceof String name ? name : null,
                        account.plan, account.mrr, account.ownerCsm, account.signedUpAt != null ? account.signedUpAt : account.firstSeenAt,
                        account.updatedAt))
                .toList();
    }

    /** What erasing a user's state found: whether the user existed, and the email address they had. */
    public record ErasedUser(boolean existed, String email) {}

    /** Erases a user's state: the user, memberships, counts and aliases. */
    public ErasedUser erase(String userId) {
        AppUser user = AppUser.findById(userId, LockModeType.PESSIMISTIC_WRITE);
        ErasedUser erased = new ErasedUser(user != null, user == null ? null : user.email);
        em().createNativeQuery("delete from membership where user_id = ?1").setParameter(1, userId).executeUpdate();
        em().createNativeQuery("delete from event_aggregate where subject_type = 'user' and subject_id = ?1").setParameter(1, userId).executeUpdate();
        em().createNativeQuery("delete from event_daily where subject_type = 'user' and subject_id = ?1").setParameter(1, userId).executeUpdate();
        em().createNativeQuery("delete from user_alias where user_id = ?1 or previous_id = ?1").setParameter(1, userId).executeUpdate();
        if (user != null) {
            user.delete();
        }
        return erased;
    }

    /**
     * Stores what was computed about an account; returns the segments it entered and left, so
     * that segment triggers can fire.
     */
    public SegmentChange saveProfile(String accountId, AccountSnapshot.Profile profile, Instant at) {
        Account account = em().find(Account.class, accountId, LockModeType.PESSIMISTIC_WRITE);
        account.activatedAt = profile.activatedAt();
        account.lifecycleStage = profile.lifecycleStage();
        account.healthScore = profile.healthScore();
        account.healthBand = profile.healthBand();
        List<String> before = segmentsOf(List.of(accountId)).getOrDefault(accountId, List.of());
        List<String> entered = profile.segments().stream().filter(segment -> !before.contains(segment)).toList();
        List<String> left = before.stream().filter(segment -> !profile.segments().contains(segment)).toList();
        for (String segment : entered) {
            em().createNativeQuery("insert into account_segment (account_id, segment, entered_at) values (?1, ?2, ?3) on conflict do nothing")
                    .setParameter(1, accountId).setParameter(2, segment).setParameter(3, Timestamp.from(at)).executeUpdate();
        }
        for (String segment : left) {
            em().createNativeQuery("delete from account_segment where account_id = ?1 and segment = ?2")
                    .setParameter(1, accountId).setParameter(2, segment).executeUpdate();
        }
        Map<String, Instant> known = milestonesOf(List.of(accountId)).getOrDefault(accountId, Map.of());
        profile.milestones().forEach((milestone, reachedAt) -> {
            if (!known.containsKey(milestone)) {
                em().createNativeQuery("insert into account_milestone (account_id, milestone, reached_at) values (?1, ?2, ?3) on conflict do nothing")
                        .setParameter(1, accountId).setParameter(2, milestone).setParameter(3, Timestamp.from(reachedAt)).executeUpdate();
            }
        });
        return new SegmentChange(entered, left);
    }

    /** Segments an account entered and left in one recomputation. */
    public record SegmentChange(List<String> entered, List<String> left) {

        public static final SegmentChange NONE = new SegmentChange(List.of(), List.of());
    }

    /** Ids of the accounts in a segment, in pages after an id; for scheduled sweeps. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> accountIdsAfter(String afterId, int limit) {
        return em().createQuery("select a.id from Account a where a.id > ?1 order by a.id", String.class)
                .setParameter(1, afterId == null ? "" : afterId)
                .setMaxResults(limit)
                .getResultList();
    }

    /**
     * The entities with these ids that exist. Those the transaction already holds (the account or
     * user an event just locked) come from the persistence context without a query.
     */
    private static <T> List<T> loaded(Class<T> type, Collection<String> ids) {
        return em().unwrap(Session.class).findMultiple(type, List.copyOf(ids), SessionCheckMode.ENABLED).stream()
                .filter(Objects::nonNull)
                .toList();
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

    private Map<String, List<String>> segmentsOf(Collection<String> accountIds) {
        return valuesById(em().createNativeQuery("select account_id, segment from account_segment where account_id in (:ids) order by segment")
                .setParameter("ids", accountIds)
                .getResultList());
    }

    private Map<String, Map<String, Instant>> milestonesOf(Collection<String> accountIds) {
        Map<String, Map<String, Instant>> milestones = new HashMap<>();
        for (Object row : em().createNativeQuery("""
                select account_id, milestone, reached_at from account_milestone where account_id in (:ids) order by reached_at""")
                .setParameter("ids", accountIds)
                .getResultList()) {
            Object[] columns = (Object[]) row;
            milestones.computeIfAbsent((String) columns[0], id -> new LinkedHashMap<>()).put((String) columns[1], SqlTimes.toInstant(columns[2]));
        }
        return milestones;
    }

    /** The accounts of each user, in the order joined. */
    private Map<String, List<String>> membershipsOf(Collection<String> userIds) {
        return valuesById(em().createQuery("select m.userId, m.accountId from Membership m where m.userId in :ids order by m.joinedAt",
                Object[].class).setParameter("ids", userIds).getResultList());
    }

    private List<String> membershipsOf(String userId) {
        return membershipsOf(List.of(userId)).getOrDefault(userId, List.of());
    }

    /** The first 1000 members of each account, in the order they joined. */
    private Map<String, List<String>> membersOf(Collection<String> accountIds) {
        return valuesById(em().createNativeQuery("""
                select account_id, user_id from (
                    select account_id, user_id, joined_at, row_number() over (partition by account_id order by joined_at) as position
                      from membership where account_id in (:ids)) ranked
                 where position <= 1000 order by account_id, joined_at""")
                .setParameter("ids", accountIds)
                .getResultList());
    }

    /** Counts by event name of each subject, with the per-day counts of the recent days. */
    private Map<String, Map<String, EventStats>> eventsOf(String subjectType, Collection<String> subjectIds) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<String, Map<String, Map<LocalDate, Long>>> daily = new HashMap<>();
        List<?> rows = em().createNativeQuery("""
                select subject_id, event_name, event_day, event_count from event_daily
                 where subject_type = :type and subject_id in (:ids) and event_day > :since""")
                .setParameter("type", subjectType)
                .setParameter("ids", subjectIds)
                .setParameter("since", Date.valueOf(today.minusDays(RECENT_DAYS)))
                .getResultList();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            LocalDate day = columns[2] instanceof Date date ? date.toLocalDate() : (LocalDate) columns[2];
            daily.computeIfAbsent((String) columns[0], id -> new HashMap<>())
                    .computeIfAbsent((String) columns[1], name -> new HashMap<>())
                    .put(day, ((Number) columns[3]).longValue());
        }
        // Values, not entities: a snapshot is read far more often than written, and managed rows cost a dirty check at every flush.
        List<Object[]> aggregates = em().createQuery("""
                select e.subjectId, e.eventName, e.eventCount, e.firstAt, e.lastAt from EventAggregate e
                 where e.subjectType = :type and e.subjectId in :ids""", Object[].class)
                .setParameter("type", subjectType)
                .setParameter("ids", subjectIds)
                .getResultList();
        Map<String, Map<String, EventStats>> events = new HashMap<>();
        for (Object[] row : aggregates) {
            String subjectId = (String) row[0];
            String name = (String) row[1];
            long count = (Long) row[2];
            Instant firstAt = (Instant) row[3];
            Instant lastAt = (Instant) row[4];
            Map<LocalDate, Long> recent = Map.copyOf(daily.getOrDefault(subjectId, Map.of()).getOrDefault(name, Map.of()));
            EventStats partial = new EventStats(count, firstAt, lastAt, 0, 0, recent);
            events.computeIfAbsent(subjectId, id -> new LinkedHashMap<>())
                    .put(name, new EventStats(count, firstAt, lastAt, partial.countInLast(7, today), partial.countInLast(30, today), recent));
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

    /**
     * Counts one event for a subject. The caller holds the subject's row lock, so an update that
     * finds no row can insert it without racing another transaction: two statements, not four.
     */
    private void count(String subjectType, String subjectId, String eventName, Instant at) {
        Timestamp when = Timestamp.from(at);
        int counted = em().createNativeQuery("""
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
        if (counted == 0) {
            em().createNativeQuery("""
                    insert into event_aggregate (subject_type, subject_id, event_name, event_count, first_at, last_at)
                    values (?1, ?2, ?3, 1, ?4, ?4)""")
                    .setParameter(1, subjectType)
                    .setParameter(2, subjectId)
                    .setParameter(3, eventName)
                    .setParameter(4, when)
                    .executeUpdate();
        }
        Date day = Date.valueOf(LocalDate.ofInstant(at, ZoneOffset.UTC));
        int countedThatDay = em().createNativeQuery("""
                update event_daily set event_count = event_count + 1
                 where subject_type = ?1 and subject_id = ?2 and event_name = ?3 and event_day = ?4""")
                .setParameter(1, subjectType)
                .setParameter(2, subjectId)
                .setParameter(3, eventName)
                .setParameter(4, day)
                .executeUpdate();
        if (countedThatDay == 0) {
            em().createNativeQuery("""
                    insert into event_daily (subject_type, subject_id, event_name, event_day, event_count)
                    values (?1, ?2, ?3, ?4, 1)""")
                    .setParameter(1, subjectType)
                    .setParameter(2, subjectId)
                    .setParameter(3, eventName)
                    .setParameter(4, day)
                    .executeUpdate();
        }
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }

    private static String firstNonNull(String preferred, String fallback) {
        return preferred != null ? preferred : fallback;
    }
}
