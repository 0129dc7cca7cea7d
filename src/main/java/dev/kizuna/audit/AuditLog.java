package dev.kizuna.audit;

import dev.kizuna.common.SqlTimes;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Administrative actions (keys, reloads, erasures, test sends, preference changes), kept for review. */
@ApplicationScoped
public class AuditLog {

    private final Actor actor;
    private final Clock clock;

    AuditLog(Actor actor, Clock clock) {
        this.actor = actor;
        this.clock = clock;
    }

    public record Entry(long id, Instant at, String actor, String action, String target, String detail) {}

    /** Records an action of the current request's key. */
    @Transactional
    public void record(String action, String target, String detail) {
        recordAs(currentActor(), action, target, detail);
    }

    /** Records an action of someone other than an API caller, e.g. the command line. */
    @Transactional
    public void recordAs(String actor, String action, String target, String detail) {
        Panache.getEntityManager()
                .createNativeQuery(
                        "insert into audit_log (occurred_at, actor, action, target, detail) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, Timestamp.from(Instant.now(clock)))
                .setParameter(2, truncate(actor, 200))
                .setParameter(3, action)
                .setParameter(4, truncate(target, 500))
                .setParameter(5, truncate(detail, 2000))
                .executeUpdate();
    }

    /** The newest entries first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Entry> newest(int limit, Long beforeId) {
        String where = beforeId == null ? "" : " where id < " + beforeId;
        List<?> rows = Panache.getEntityManager()
                .createNativeQuery("select id, occurred_at, actor, action, target, detail from audit_log" + where
                        + " order by id desc")
                .setMaxResults(limit)
                .getResultList();
        return rows.stream()
                .map(row -> {
                    Object[] columns = (Object[]) row;
                    return new Entry(
                            ((Number) columns[0]).longValue(),
                            SqlTimes.toInstant(columns[1]),
                            (String) columns[2],
                            (String) columns[3],
                            (String) columns[4],
                            (String) columns[5]);
                })
                .toList();
    }

    private String currentActor() {
        try {
            return actor.describe();
        } catch (jakarta.enterprise.context.ContextNotActiveException outsideARequest) {
            return "kizuna";
        }
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
