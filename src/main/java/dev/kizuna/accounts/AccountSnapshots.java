package dev.kizuna.accounts;

import dev.kizuna.common.JsonText;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hibernate.Session;
import org.hibernate.SessionCheckMode;

/**
 * Accounts and users as rules, templates and the API read them: state, memberships, event counts
 * and, for accounts, what was computed about them. Reads need no transaction of their own.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class AccountSnapshots {

    private final Identities identities;
    private final EventCounters counters;
    private final StoredProfiles profiles;

    AccountSnapshots(Identities identities, EventCounters counters, StoredProfiles profiles) {
        this.identities = identities;
        this.counters = counters;
        this.profiles = profiles;
    }

    public Optional<AccountSnapshot> account(String accountId) {
        return Optional.ofNullable(accounts(List.of(accountId)).get(accountId));
    }

    /** Snapshots of several accounts read together, for sweeps: a few queries for a page, not a few per account. */
    public Map<String, AccountSnapshot> accounts(Collection<String> accountIds) {
        if (accountIds.isEmpty()) {
            return Map.of();
        }
        List<Account> rows = loaded(Account.class, accountIds);
        Map<String, List<String>> members = identities.membersOf(accountIds);
        Map<String, Map<String, EventStats>> events = counters.eventsOf(EventCounters.ACCOUNT, accountIds);
        Map<String, List<String>> segments = profiles.segmentsOf(accountIds);
        Map<String, Map<String, Instant>> milestones = profiles.milestonesOf(accountIds);
        Map<String, AccountSnapshot> snapshots = new HashMap<>();
        for (Account account : rows) {
            Map<String, Object> traits = JsonText.readObject(account.traits);
            AccountSnapshot.Profile profile = new AccountSnapshot.Profile(
                    segments.getOrDefault(account.id, List.of()),
                    milestones.getOrDefault(account.id, Map.of()),
                    account.activatedAt,
                    account.lifecycleStage,
                    account.healthScore,
                    account.healthBand);
            snapshots.put(
                    account.id,
                    new AccountSnapshot(
                            account.id,
                            traits.get("name") instanceof String name ? name : null,
                            account.plan,
                            account.mrr,
                            account.arr,
                            account.signedUpAt != null ? account.signedUpAt : account.firstSeenAt,
                            account.timezone,
                            account.locale,
                            account.ownerCsm,
                            traits,
                            account.firstSeenAt,
                            members.getOrDefault(account.id, List.of()),
                            events.getOrDefault(account.id, Map.of()),
                            profile));
        }
        return snapshots;
    }

    public Optional<UserSnapshot> user(String userId) {
        return Optional.ofNullable(users(List.of(userId)).get(userId));
    }

    /** Snapshots of several users read together. */
    public Map<String, UserSnapshot> users(Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        List<AppUser> rows = loaded(AppUser.class, userIds);
        Map<String, List<String>> memberships = identities.membershipsOf(userIds);
        Map<String, Map<String, EventStats>> events = counters.eventsOf(EventCounters.USER, userIds);
        Map<String, UserSnapshot> snapshots = new HashMap<>();
        for (AppUser user : rows) {
            snapshots.put(
                    user.id,
                    new UserSnapshot(
                            user.id,
                            user.email,
                            user.name,
                            user.locale,
                            user.timezone,
                            JsonText.readObject(user.traits),
                            user.firstSeenAt,
                            memberships.getOrDefault(user.id, List.of()),
                            events.getOrDefault(user.id, Map.of())));
        }
        return snapshots;
    }

    /**
     * The entities with these ids that exist. Those the transaction already holds (the account or
     * user an event just locked) come from the persistence context without a query.
     */
    private static <T> List<T> loaded(Class<T> type, Collection<String> ids) {
        return Panache.getEntityManager()
                .unwrap(Session.class)
                .findMultiple(type, List.copyOf(ids), SessionCheckMode.ENABLED)
                .stream()
                .filter(Objects::nonNull)
                .toList();
    }
}
