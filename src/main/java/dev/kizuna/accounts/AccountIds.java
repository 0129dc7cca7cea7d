package dev.kizuna.accounts;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * Every account's id in order, for work done page by page over all accounts (the firings of
 * scheduled rules): where the pages end, how many accounts there are, and the ids of one page.
 */
@ApplicationScoped
public class AccountIds {

    /** Every {@code pageSize}-th account id, in order: the last id of each full page. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> pageEnds(int pageSize) {
        @SuppressWarnings("unchecked")
        List<String> ends = Panache.getEntityManager()
                .createNativeQuery("""
                        select id from (select id, row_number() over (order by id) as n from account) numbered
                         where mod(n, ?1) = 0 order by id""")
                .setParameter(1, pageSize)
                .getResultList();
        return ends;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public long count() {
        return ((Number) Panache.getEntityManager()
                        .createNativeQuery("select count(*) from account")
                        .getSingleResult())
                .longValue();
    }

    /** The ids after {@code after} ("" for the first), through {@code through} (null: to the last), in order. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> between(String after, String through) {
        var query = Panache.getEntityManager()
                .createNativeQuery(
                        through == null
                                ? "select id from account where id > ?1 order by id"
                                : "select id from account where id > ?1 and id <= ?2 order by id",
                        String.class)
                .setParameter(1, after);
        if (through != null) {
            query.setParameter(2, through);
        }
        @SuppressWarnings("unchecked")
        List<String> ids = query.getResultList();
        return ids;
    }
}
