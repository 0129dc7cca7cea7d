package dev.kizuna.segments;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;

/**
 * The accounts stored as members of some segments, in id order: what a firing whose rules all
 * have an audience pages over, read through the index on segment, so that accounts outside every
 * audience are not read at all.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class SegmentMembers {

    /** Every {@code pageSize}-th member of any of the segments, in order: the last id of each full page. */
    public List<String> pageEnds(Collection<String> segments, int pageSize) {
        @SuppressWarnings("unchecked")
        List<String> ends = Panache.getEntityManager()
                .createNativeQuery("""
                        select account_id from (
                            select account_id, row_number() over (order by account_id) as n
                              from (select distinct account_id from account_segment where segment in (:segments)) members
                        ) numbered
                         where mod(n, :pageSize) = 0 order by account_id""")
                .setParameter("segments", segments)
                .setParameter("pageSize", pageSize)
                .getResultList();
        return ends;
    }

    /** How many accounts are members of any of the segments. */
    public long count(Collection<String> segments) {
        return ((Number) Panache.getEntityManager()
                        .createNativeQuery(
                                "select count(distinct account_id) from account_segment where segment in (:segments)")
                        .setParameter("segments", segments)
                        .getSingleResult())
                .longValue();
    }

    /**
     * The members of any of the segments with ids after {@code after} ("" for the first), through
     * {@code through} (null: to the last), in order.
     */
    public List<String> between(Collection<String> segments, String after, String through) {
        var query = Panache.getEntityManager()
                .createNativeQuery(
                        "select distinct account_id from account_segment where segment in (:segments)"
                                + " and account_id > :after"
                                + (through == null ? "" : " and account_id <= :through")
                                + " order by account_id",
                        String.class)
                .setParameter("segments", segments)
                .setParameter("after", after);
        if (through != null) {
            query.setParameter("through", through);
        }
        @SuppressWarnings("unchecked")
        List<String> ids = query.getResultList();
        return ids;
    }
}
