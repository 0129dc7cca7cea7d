package dev.kizuna.accounts;

import dev.kizuna.common.JsonText;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Lists of accounts: filtered and searched for the API and the UI, and in id order for sweeps. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class AccountDirectory {

    /** Filters of the account list; null means any. Ordered by id, paged after an id. */
    public record AccountQuery(String plan, String ownerCsm, String search, String after, int limit) {}

    /** An account in a list. */
    public record AccountSummary(
            String id,
            String name,
            String plan,
            BigDecimal mrr,
            String ownerCsm,
            Instant signedUpAt,
            Instant updatedAt) {}

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
            parameters.and(
                    "search",
                    "%" + query.search().toLowerCase().replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (query.after() != null) {
            where.add("id > :after");
            parameters.and("after", query.after());
        }
        return Account.<Account>find(String.join(" and ", where), Sort.ascending("id"), parameters)
                .page(0, query.limit())
                .list()
                .stream()
                .map(account -> new AccountSummary(
                        account.id,
                        JsonText.readObject(account.traits).get("name") instanceof String name ? name : null,
                        account.plan,
                        account.mrr,
                        account.ownerCsm,
                        account.signedUpAt != null ? account.signedUpAt : account.firstSeenAt,
                        account.updatedAt))
                .toList();
    }

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
