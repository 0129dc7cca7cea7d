package dev.kizuna.accounts;

import dev.kizuna.common.JsonText;
import dev.kizuna.common.MultiRowInsert;
import dev.kizuna.common.SqlTimes;
import dev.kizuna.common.StatementChunks;
import dev.kizuna.common.StatementCount;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hibernate.Session;

/**
 * Account and user state, updated by identify and group calls, by the recomputed profile and by
 * erasure. Writes join the caller's transaction so that a state change and the decisions it
 * causes commit together.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class AccountWriter {

    private static final String ACCOUNT_TABLE = "account";
    private static final String USER_TABLE = "app_user";

    private final Identities identities;
    private final EventCounters counters;

    AccountWriter(Identities identities, EventCounters counters) {
        this.identities = identities;
        this.counters = counters;
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
        changeTraits(account, traits, at, "group");
        if (userId != null) {
            lockUser(userId, at);
            identities.join(accountId, userId, at);
        }
    }

    /**
     * Merges traits into an account's and keeps the plan and revenue they state in the account's
     * history, at the time of the call. A call older than the plan and revenue the account has
     * now (a backfill) adds to the history without replacing them.
     */
    private void changeTraits(Account account, Map<String, Object> traits, Instant at, String source) {
        boolean late = account.revenueAsOf != null && at.isBefore(account.revenueAsOf);
        Map<String, Object> applied = new HashMap<>(traits);
        if (late) {
            applied.keySet().removeAll(AccountTraits.REVENUE);
        }
        Map<String, Object> merged = JsonText.readObject(account.traits);
        // A new MRR without an ARR (or the reverse) replaces both: the old ARR would contradict it.
        if (applied.containsKey("mrr") && !applied.containsKey("arr")) {
            merged.remove("arr");
        } else if (applied.containsKey("arr") && !applied.containsKey("mrr")) {
            merged.remove("mrr");
        }
        merged.putAll(applied);
        account.traits = JsonText.write(merged);
        AccountTraits.apply(merged, account);
        account.updatedAt = at;
        AccountTraits.Revenue stated = AccountTraits.revenueOf(traits);
        if (!stated.statesAnything()) {
            return;
        }
        // Every call that states them is kept, also one that repeats the values: a call sent later
        // with an earlier time may land before it, and then the repetition is a change.
        em().createNativeQuery(
                        "insert into account_history (account_id, changed_at, source, plan, mrr, arr) values (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, account.id)
                .setParameter(2, Timestamp.from(at))
                .setParameter(3, source)
                .setParameter(4, stated.plan())
                .setParameter(5, stated.mrr())
                .setParameter(6, stated.arr())
                .executeUpdate();
        if (!late) {
            account.revenueAsOf = at;
        }
    }

    /** Whether group traits state an account's plan or revenue (and so add to its history). */
    public static boolean statesRevenue(Map<String, Object> traits) {
        return !Collections.disjoint(traits.keySet(), AccountTraits.REVENUE);
    }

    /** The conventional events of a subscription's life that change an account's plan or revenue. */
    public static final Set<String> SUBSCRIPTION_EVENTS =
            Set.of("Subscription Cancelled", "Subscription Renewed", "Plan Upgraded", "Plan Downgraded");

    /**
     * A subscription event of an account: {@code Subscription Cancelled} makes its recurring
     * revenue zero; the others state the {@code plan}, {@code mrr} or {@code arr} (and
     * {@code renewal_date}) in their properties, read as the group traits of those names. Either
     * way the account's traits change as a group call stating the same would change them.
     */
    public void subscriptionChanged(String accountId, String event, Map<String, Object> properties, Instant at) {
        Map<String, Object> traits = new HashMap<>();
        for (String key : List.of("plan", "mrr", "arr", "renewal_date", "renewalDate")) {
            if (properties.get(key) != null) {
                traits.put(key, properties.get(key));
            }
        }
        if (event.equals("Subscription Cancelled")) {
            traits.put("mrr", 0);
        }
        if (traits.isEmpty()) {
            return;
        }
        changeTraits(lockAccount(accountId, at), traits, at, event);
    }

    /** Keeps the lifecycle stages accounts moved to in their history (stages are computed now, so dated now). */
    public void recordStages(Map<String, String> stageByAccount, Instant at) {
        if (stageByAccount.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        new TreeMap<>(stageByAccount)
                .forEach((accountId, stage) -> rows.add(new Object[] {accountId, at, "lifecycle", stage}));
        MultiRowInsert.insert(
                "account_history", List.of("account_id", "changed_at", "source", "lifecycle_stage"), rows);
    }

    /**
     * Locks every account and then every user a unit of work will change, each set in id order
     * (those that exist, then those it creates, first seen at the time given for each); users it
     * only counts events for are made if new but not locked, since their rows do not change. When
     * every writer of account and user state takes its locks here first, two units that share
     * accounts or users wait for each other one way only and never deadlock; later locks on the
     * same rows within the unit are then free.
     */
    public void lockInOrder(
            Map<String, Instant> accountsFirstSeen, Map<String, Instant> usersFirstSeen, Set<String> usersChanged) {
        lockInOrder(ACCOUNT_TABLE, accountsFirstSeen);
        Map<String, Instant> changed = new HashMap<>(usersFirstSeen);
        changed.keySet().retainAll(usersChanged);
        Map<String, Instant> counted = new HashMap<>(usersFirstSeen);
        counted.keySet().removeAll(usersChanged);
        lockInOrder(USER_TABLE, changed);
        insertMissing(USER_TABLE, counted);
    }

    /**
     * Rows not seen yet are inserted in id order (a row another transaction inserted and has not
     * committed makes the insert wait, as a lock would), then all rows are locked in the
     * database's id order in one statement. Usually every row exists: one statement.
     */
    private static void lockInOrder(String table, Map<String, Instant> firstSeen) {
        if (firstSeen.isEmpty()) {
            return;
        }
        Set<String> existing = lockRows(table, firstSeen.keySet());
        Map<String, Instant> missing = new HashMap<>(firstSeen);
        missing.keySet().removeAll(existing);
        if (missing.isEmpty()) {
            return;
        }
        insertMissing(table, missing);
        lockRows(table, missing.keySet());
    }

    /** Inserts the rows that do not exist yet, in id order, with a statement per chunk ({@link StatementChunks}). */
    private static void insertMissing(String table, Map<String, Instant> firstSeen) {
        List<Map.Entry<String, Instant>> ordered = new ArrayList<>(new TreeMap<>(firstSeen).entrySet());
        for (List<Map.Entry<String, Instant>> chunk : StatementChunks.of(ordered, ROWS_PER_INSERT)) {
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                rows.add("(?" + (2 * i + 1) + ", '{}', ?" + (2 * i + 2) + ", ?" + (2 * i + 2) + ")");
            }
            var insert = em().createNativeQuery(
                            "insert into " + table + " (id, traits, first_seen_at, updated_at) values "
                                    + String.join(", ", rows) + " on conflict do nothing");
            int parameter = 0;
            for (Map.Entry<String, Instant> row : chunk) {
                insert.setParameter(++parameter, row.getKey())
                        .setParameter(++parameter, Timestamp.from(row.getValue()));
            }
            insert.executeUpdate();
        }
    }

    /** Two parameters a row: far below the drivers' limit on parameters. */
    private static final int ROWS_PER_INSERT = 4096;

    /** Locks the rows with these ids that exist, in id order; returns their ids. */
    private static Set<String> lockRows(String table, Collection<String> ids) {
        Set<String> locked = new HashSet<>();
        for (Object id : em().createNativeQuery(
                        "select id from " + table + " where id in (:ids) order by id for update")
                .setParameter("ids", ids)
                .getResultList()) {
            locked.add((String) id);
        }
        return locked;
    }

    public void saveProfile(String accountId, AccountSnapshot.Profile profile) {
        Account account = em().find(Account.class, accountId, LockModeType.PESSIMISTIC_WRITE);
        account.activatedAt = profile.activatedAt();
        account.lifecycleStage = profile.lifecycleStage();
        account.healthScore = profile.healthScore();
        account.healthBand = profile.healthBand();
    }

    /**
     * Stores the computed part of several accounts' profiles (activation, lifecycle, health) with
     * one statement, for accounts the transaction holds locked already.
     */
    public void saveProfiles(Map<String, AccountSnapshot.Profile> profiles) {
        if (profiles.isEmpty()) {
            return;
        }
        // In id order, the order every writer locks accounts in.
        Map<String, AccountSnapshot.Profile> ordered = new TreeMap<>(profiles);
        String rows = String.join(", ", Collections.nCopies(ordered.size(), """
                (cast(? as varchar(255)), cast(? as timestamp with time zone), cast(? as varchar(32)), cast(? as integer), cast(? as varchar(64)))"""));
        em().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement merge = connection.prepareStatement("""
                    merge into account t
                    using (values %s) as s (id, activated_at, lifecycle_stage, health_score, health_band)
                       on t.id = s.id
                     when matched then update set activated_at = s.activated_at, lifecycle_stage = s.lifecycle_stage,
                          health_score = s.health_score, health_band = s.health_band""".formatted(rows))) {
                int parameter = 0;
                for (Map.Entry<String, AccountSnapshot.Profile> account : ordered.entrySet()) {
                    AccountSnapshot.Profile profile = account.getValue();
                    merge.setString(++parameter, account.getKey());
                    merge.setObject(
                            ++parameter,
                            profile.activatedAt() == null ? null : SqlTimes.toParameter(profile.activatedAt()));
                    merge.setString(++parameter, profile.lifecycleStage());
                    merge.setObject(++parameter, profile.healthScore());
                    merge.setString(++parameter, profile.healthBand());
                }
                merge.executeUpdate();
            }
        });
        StatementCount.countOutsideHibernate(1);
    }

    /** What erasing a user's state found: whether the user existed, and the email address they had. */
    public record ErasedUser(boolean existed, String email) {}

    /** Erases a user's state: the user, memberships, counts and aliases. */
    public ErasedUser erase(String userId) {
        AppUser user = AppUser.findById(userId, LockModeType.PESSIMISTIC_WRITE);
        ErasedUser erased = new ErasedUser(user != null, user == null ? null : user.email);
        identities.leaveAll(userId);
        counters.forgetUser(userId);
        identities.forgetAliases(userId);
        if (user != null) {
            user.delete();
        }
        return erased;
    }

    /** Insert-if-absent then lock: safe when two instances see the same new account at once. */
    static Account lockAccount(String accountId, Instant at) {
        em().createNativeQuery(
                        "insert into account (id, traits, first_seen_at, updated_at) values (?1, '{}', ?2, ?2) on conflict do nothing")
                .setParameter(1, accountId)
                .setParameter(2, Timestamp.from(at))
                .executeUpdate();
        return em().find(Account.class, accountId, LockModeType.PESSIMISTIC_WRITE);
    }

    static AppUser lockUser(String userId, Instant at) {
        em().createNativeQuery(
                        "insert into app_user (id, traits, first_seen_at, updated_at) values (?1, '{}', ?2, ?2) on conflict do nothing")
                .setParameter(1, userId)
                .setParameter(2, Timestamp.from(at))
                .executeUpdate();
        return em().find(AppUser.class, userId, LockModeType.PESSIMISTIC_WRITE);
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }

    private static String firstNonNull(String preferred, String fallback) {
        return preferred != null ? preferred : fallback;
    }
}
