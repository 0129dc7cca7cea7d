package dev.kizuna.reports;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.common.JsonText;
import dev.kizuna.common.MultiRowInsert;
import dev.kizuna.segments.AccountProfiles;
import dev.kizuna.segments.ProfileCatalog;
import dev.kizuna.segments.ProfileDefinitions;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Takes a snapshot of the health of every account with a plan or revenue on record: score, band
 * and each signal's value, computed at the snapshot's time from the account's state, a page of
 * accounts per transaction. The health calibration report compares them with the churn that
 * followed. Taken again at the same time (a retried job), the rows already there are kept.
 */
@ApplicationScoped
public class HealthSnapshots {

    private static final Logger LOG = Logger.getLogger(HealthSnapshots.class);
    private static final int ACCOUNTS_PER_PAGE = 500;

    private final AccountSnapshots accounts;
    private final ProfileCatalog profiles;
    private final Clock clock;

    HealthSnapshots(AccountSnapshots accounts, ProfileCatalog profiles, Clock clock) {
        this.accounts = accounts;
        this.profiles = profiles;
        this.clock = clock;
    }

    /** What a snapshot did: when it was taken, of how many accounts, and how long it took. */
    public record Taken(Instant takenAt, long accounts, long millis) {}

    /** A snapshot now, to the second. */
    public Taken take() {
        Instant at = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        ProfileDefinitions definitions = profiles.definitions();
        long started = System.nanoTime();
        long taken = 0;
        if (!definitions.healthSignals().isEmpty()) {
            Optional<Page> page = Optional.of(new Page("", 0));
            while (page.isPresent()) {
                String after = page.get().lastId();
                page = QuarkusTransaction.requiringNew().call(() -> takePage(definitions, after, at));
                taken += page.map(Page::taken).orElse(0);
            }
        }
        Taken result = new Taken(
                at, taken, Duration.ofNanos(System.nanoTime() - started).toMillis());
        LOG.infof("health snapshot at %s: %d accounts in %d ms", at, result.accounts(), result.millis());
        return result;
    }

    /** A page of accounts done: the last id in it, and how many snapshots it took. */
    private record Page(String lastId, int taken) {}

    /** The accounts after {@code after} in id order, one page; none when there are no more. */
    @SuppressWarnings("unchecked")
    private Optional<Page> takePage(ProfileDefinitions definitions, String after, Instant at) {
        List<String> ids = Panache.getEntityManager()
                .createNativeQuery("select id from account where revenue_as_of is not null and id > ?1 order by id")
                .setParameter(1, after)
                .setMaxResults(ACCOUNTS_PER_PAGE)
                .getResultList();
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        List<Object[]> rows = new ArrayList<>();
        for (AccountSnapshot account : accounts.accounts(ids).values()) {
            AccountProfiles.readHealth(definitions, account, at)
                    .ifPresent(health -> rows.add(new Object[] {
                        account.id(), at, health.score(), health.band(), JsonText.write(health.signals())
                    }));
        }
        MultiRowInsert.insertMissing(
                "health_snapshot", List.of("account_id", "taken_at", "score", "band", "signals"), rows);
        return Optional.of(new Page(ids.get(ids.size() - 1), rows.size()));
    }
}
