package dev.kizuna.accounts;

import dev.kizuna.common.MultiRowInsert;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The accounts whose goals may have moved since the last attribution pass: they reached a
 * milestone or had an event that is some rule's goal. Recorded in the transaction of what
 * happened, so a pass never misses it however late the event was processed; forgotten once a
 * pass has looked at the accounts' messages.
 */
@ApplicationScoped
public class GoalActivity {

    /** The accounts read, and the rows they were read from: those the pass forgets when it is done. */
    public record Read(List<String> accountIds, List<Long> rowIds) {}

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(Collection<String> accountIds, Instant at) {
        if (!accountIds.isEmpty()) {
            MultiRowInsert.insert(
                    "goal_activity",
                    List.of("account_id", "happened_at"),
                    accountIds.stream()
                            .distinct()
                            .map(accountId -> new Object[] {accountId, at})
                            .toList());
        }
    }

    /** Every row committed so far (a row of a transaction still open is read by the next pass). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Read read() {
        Set<String> accounts = new LinkedHashSet<>();
        List<Long> rows = new ArrayList<>();
        for (Object row : Panache.getEntityManager()
                .createNativeQuery("select id, account_id from goal_activity")
                .getResultList()) {
            Object[] columns = (Object[]) row;
            rows.add(((Number) columns[0]).longValue());
            accounts.add((String) columns[1]);
        }
        return new Read(List.copyOf(accounts), rows);
    }

    /** Forgets the rows read, not "up to the last id": ids are handed out before their transactions commit. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void forget(List<Long> rowIds) {
        for (int from = 0; from < rowIds.size(); from += 1000) {
            Panache.getEntityManager()
                    .createNativeQuery("delete from goal_activity where id in (?1)")
                    .setParameter(1, rowIds.subList(from, Math.min(rowIds.size(), from + 1000)))
                    .executeUpdate();
        }
    }
}
