package dev.kizuna.common;

import io.quarkus.hibernate.orm.panache.Panache;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;

/**
 * Rows written with one {@code insert … values (…), (…)} statement per chunk ({@link
 * StatementChunks}), on the transaction's connection: a set of decisions or deliveries costs a
 * few statements, not a statement per row. Counted
 * in {@link StatementCount} like the statements Hibernate sends.
 */
public final class MultiRowInsert {

    /** PostgreSQL's protocol takes at most 65,535 parameters in one statement; stay well under it. */
    private static final int MAX_PARAMETERS = 30_000;

    private MultiRowInsert() {}

    /** Inserts the rows, each an array of values in the order of {@code columns}. */
    public static void insert(String table, List<String> columns, List<Object[]> rows) {
        insertReturning(table, columns, rows, List.of());
    }

    /** Inserts the rows, leaving out those whose key is already there (written meanwhile by another transaction). */
    public static void insertMissing(String table, List<String> columns, List<Object[]> rows) {
        Session session = Panache.getEntityManager().unwrap(Session.class);
        for (List<Object[]> chunk : StatementChunks.of(rows, Math.max(1, MAX_PARAMETERS / columns.size()))) {
            session.doWork(
                    connection -> insert(connection, table, columns, chunk, List.of(), " on conflict do nothing"));
            StatementCount.countOutsideHibernate(1);
        }
    }

    /**
     * Inserts the rows and returns, for each inserted row, the values of the {@code returned}
     * columns (generated ones included). The database may return them in any order: callers
     * match them to their rows by a returned column they set themselves.
     */
    public static List<Object[]> insertReturning(
            String table, List<String> columns, List<Object[]> rows, List<String> returned) {
        List<Object[]> answers = new ArrayList<>();
        Session session = Panache.getEntityManager().unwrap(Session.class);
        for (List<Object[]> chunk : StatementChunks.of(rows, Math.max(1, MAX_PARAMETERS / columns.size()))) {
            session.doWork(connection -> answers.addAll(insert(connection, table, columns, chunk, returned, "")));
            StatementCount.countOutsideHibernate(1);
        }
        return answers;
    }

    private static List<Object[]> insert(
            Connection connection,
            String table,
            List<String> columns,
            List<Object[]> rows,
            List<String> returned,
            String onConflict)
            throws SQLException {
        String row = "(" + String.join(", ", columns.stream().map(column -> "?").toList()) + ")";
        StringBuilder sql = new StringBuilder("insert into ")
                .append(table)
                .append(" (")
                .append(String.join(", ", columns))
                .append(") values ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(row);
        }
        sql.append(onConflict);
        try (PreparedStatement insert = returned.isEmpty()
                ? connection.prepareStatement(sql.toString())
                : connection.prepareStatement(sql.toString(), returned.toArray(String[]::new))) {
            int parameter = 0;
            for (Object[] values : rows) {
                if (values.length != columns.size()) {
                    throw new IllegalArgumentException(
                            values.length + " values for " + columns.size() + " columns of " + table);
                }
                for (Object value : values) {
                    insert.setObject(
                            ++parameter, value instanceof Instant instant ? SqlTimes.toParameter(instant) : value);
                }
            }
            insert.executeUpdate();
            List<Object[]> answers = new ArrayList<>();
            if (!returned.isEmpty()) {
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    while (keys.next()) {
                        Object[] answer = new Object[returned.size()];
                        for (int i = 0; i < answer.length; i++) {
                            answer[i] = keys.getObject(i + 1);
                        }
                        answers.add(answer);
                    }
                }
            }
            return answers;
        }
    }
}
