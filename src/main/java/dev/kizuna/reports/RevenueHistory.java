package dev.kizuna.reports;

import dev.kizuna.common.SqlTimes;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the accounts' revenue history (plan, MRR and ARR changes; lifecycle stages are not
 * revenue) as timelines, a page of accounts at a time, so that a report over a million accounts
 * holds one page in memory, not the whole history.
 */
@ApplicationScoped
class RevenueHistory {

    static final int ACCOUNTS_PER_PAGE = 500;

    private final AgroalDataSource dataSource;

    RevenueHistory(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every account with revenue history before {@code before}, in pages of timelines in account id order. */
    void forEachPage(Instant before, Consumer<List<RevenueTimeline>> page) {
        try (Connection connection = dataSource.getConnection()) {
            // PostgreSQL's driver streams rows with a fetch size only inside a transaction.
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement("""
                    select h.account_id, h.changed_at, h.plan, h.mrr, h.arr, coalesce(a.signed_up_at, a.first_seen_at)
                      from account_history h join account a on a.id = h.account_id
                     where (h.plan is not null or h.mrr is not null) and h.changed_at < ?
                     order by h.account_id, h.changed_at, h.id""")) {
                statement.setFetchSize(2000);
                SqlTimes.setInstant(statement, 1, before);
                try (ResultSet rows = statement.executeQuery()) {
                    readPages(rows, page);
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the accounts' revenue history could not be read", e);
        }
    }

    /** The timelines of these accounts (those with revenue history), with one query; signups are not read. */
    Map<String, RevenueTimeline> of(Collection<String> accountIds) {
        if (accountIds.isEmpty()) {
            return Map.of();
        }
        Map<String, List<RevenueTimeline.Change>> changes = new HashMap<>();
        String sql =
                "select account_id, changed_at, plan, mrr, arr from account_history where (plan is not null or mrr is not null)"
                        + " and account_id in (" + String.join(",", Collections.nCopies(accountIds.size(), "?"))
                        + ") order by account_id, changed_at, id";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            int parameter = 0;
            for (String accountId : accountIds) {
                statement.setString(++parameter, accountId);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    changes.computeIfAbsent(rows.getString(1), id -> new ArrayList<>())
                            .add(changeOf(rows));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the accounts' revenue history could not be read", e);
        }
        Map<String, RevenueTimeline> timelines = new HashMap<>();
        changes.forEach(
                (accountId, list) -> timelines.put(accountId, new RevenueTimeline(accountId, null, List.copyOf(list))));
        return timelines;
    }

    /** A change from a row whose columns 2 to 5 are changed_at, plan, mrr and arr. */
    private static RevenueTimeline.Change changeOf(ResultSet rows) throws SQLException {
        return new RevenueTimeline.Change(
                SqlTimes.getInstant(rows, 2), rows.getString(3), rows.getBigDecimal(4), rows.getBigDecimal(5));
    }

    private static void readPages(ResultSet rows, Consumer<List<RevenueTimeline>> page) throws SQLException {
        List<RevenueTimeline> timelines = new ArrayList<>();
        String accountId = null;
        Instant signup = null;
        List<RevenueTimeline.Change> changes = new ArrayList<>();
        while (rows.next()) {
            String id = rows.getString(1);
            if (!id.equals(accountId)) {
                if (accountId != null) {
                    timelines.add(new RevenueTimeline(accountId, signup, List.copyOf(changes)));
                    if (timelines.size() == ACCOUNTS_PER_PAGE) {
                        page.accept(List.copyOf(timelines));
                        timelines.clear();
                    }
                }
                accountId = id;
                signup = SqlTimes.getInstant(rows, 6);
                changes.clear();
            }
            changes.add(changeOf(rows));
        }
        if (accountId != null) {
            timelines.add(new RevenueTimeline(accountId, signup, List.copyOf(changes)));
        }
        if (!timelines.isEmpty()) {
            page.accept(timelines);
        }
    }
}
