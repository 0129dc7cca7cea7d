package dev.kizuna.accounts;

import dev.kizuna.common.SqlTimes;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An account's dated history of plan, revenue and lifecycle stage, as the reports read it, for people to read. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class AccountHistory {

    /** One change: what it stated (a field left null was not stated by it) and where it came from. */
    public record Change(
            Instant changedAt, String source, String plan, BigDecimal mrr, BigDecimal arr, String lifecycleStage) {}

    /** The account's changes in time order, the newest {@code limit} of them. */
    public List<Change> of(String accountId, int limit) {
        List<Change> changes = new ArrayList<>();
        for (Object row : Panache.getEntityManager()
                .createNativeQuery("""
                        select changed_at, source, plan, mrr, arr, lifecycle_stage from account_history
                         where account_id = ?1 order by changed_at desc, id desc""")
                .setParameter(1, accountId)
                .setMaxResults(limit)
                .getResultList()) {
            Object[] columns = (Object[]) row;
            changes.add(new Change(
                    SqlTimes.toInstant(columns[0]),
                    (String) columns[1],
                    (String) columns[2],
                    (BigDecimal) columns[3],
                    (BigDecimal) columns[4],
                    (String) columns[5]));
        }
        java.util.Collections.reverse(changes);
        return changes;
    }
}
