package dev.kizuna.ingest;

import dev.kizuna.common.Databases;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * On PostgreSQL, raw events live in one partition per UTC day of {@code received_at}
 * ({@code event_p20270104} holds 2027-01-04), and in {@code event_default} when their day has no
 * partition (created by migration V12). This keeps the partitions of the coming days ready and takes
 * the days past retention away as whole tables, so that retention neither rewrites nor leaves dead
 * rows behind. On H2 raw events stay in one plain table and there is nothing to do.
 *
 * <p>Safe with several instances: each step runs under one PostgreSQL advisory lock and looks at
 * the catalog afresh, so a step another instance already did is skipped. Each change of the
 * partitions gives up after {@link #LOCK_WAIT} rather than hold up ingestion behind a long query
 * on the event table; the next pass tries again.
 */
@ApplicationScoped
public class EventPartitions {

    private static final Logger LOG = Logger.getLogger(EventPartitions.class);

    /**
     * Days after today whose partitions exist in advance: a week of nightly passes may fail before
     * a day's events land in the default partition.
     */
    public static final int DAYS_AHEAD = 7;

    /** How long a change of the partitions waits for the event table before it gives up until the next pass. */
    static final String LOCK_WAIT = "5s";

    /** Any constant shared by all instances; "kizuna" in ASCII, then 1. */
    private static final long UPKEEP_LOCK = 0x6b697a756e610001L;

    private static final Pattern DAY_PARTITION = Pattern.compile("event_p(\\d{8})");

    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final AgroalDataSource dataSource;
    private final Clock clock;

    EventPartitions(AgroalDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** An instance that starts after days down finds today's partition ready before its first insert. */
    void prepareAtStart(@Observes StartupEvent startup) {
        try {
            prepareAhead(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn(
                    "event partitions: the coming days could not be prepared at start; the nightly pass tries again",
                    e);
        }
    }

    /**
     * Creates the missing partitions of the day of {@code now} and the {@link #DAYS_AHEAD} days
     * after it. Rows of such a day already in the default partition move into the new one.
     *
     * @return the partitions created
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public List<String> prepareAhead(Instant now) {
        List<String> created = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            if (!Databases.isPostgres(connection)) {
                return created;
            }
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            for (int ahead = 0; ahead <= DAYS_AHEAD; ahead++) {
                LocalDate day = today.plusDays(ahead);
                if (exists(connection, partitionOf(day))) {
                    continue;
                }
                try {
                    if (inTransaction(connection, () -> create(connection, day))) {
                        created.add(partitionOf(day));
                    }
                } catch (SQLException e) {
                    if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                        throw e;
                    }
                    LOG.warnf(
                            "event partitions: %s not created, the event table stayed busy; "
                                    + "its rows go to the default partition meanwhile",
                            partitionOf(day));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("event partitions could not be prepared", e);
        }
        if (!created.isEmpty()) {
            LOG.infof("event partitions: created %s", created);
        }
        return created;
    }

    /**
     * Detaches and drops the day partitions that end at or before the cut-off, and returns how
     * many raw events they held: an exact count, read from each partition once it is detached
     * (when nothing else uses it any more) and before it is dropped. A partition that stays busy
     * past {@link #LOCK_WAIT} is left attached, so its rows go with the row-wise delete that
     * follows in {@link EventLog#purge}. On H2, nothing and 0.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    long dropWhollyBefore(Instant cutoff) {
        long removed = 0;
        try (Connection connection = dataSource.getConnection()) {
            if (!Databases.isPostgres(connection)) {
                return 0;
            }
            for (String partition : dayPartitions(connection)) {
                LocalDate day = dayOf(partition);
                if (day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(cutoff)) {
                    continue;
                }
                try {
                    inTransaction(connection, () -> detach(connection, partition));
                } catch (SQLException e) {
                    if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                        throw e;
                    }
                    LOG.warnf(
                            "event partitions: %s not detached, the event table stayed busy; its rows are deleted row by row",
                            partition);
                    continue;
                }
                removed += inTransaction(connection, () -> countAndDrop(connection, partition));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("event partitions past retention could not be dropped", e);
        }
        return removed;
    }

    static String partitionOf(LocalDate day) {
        return "event_p" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    private static LocalDate dayOf(String partition) {
        Matcher matcher = DAY_PARTITION.matcher(partition);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(partition);
        }
        return LocalDate.parse(matcher.group(1), DateTimeFormatter.BASIC_ISO_DATE);
    }

    /**
     * The day's partition, unless another instance made it first. The whole event table is locked
     * first, as creating or attaching a partition does anyway: taken in that order, the lock on the
     * default partition cannot deadlock with an insert routed to it.
     */
    private static boolean create(Connection connection, LocalDate day) throws SQLException {
        String partition = partitionOf(day);
        String bounds = "for values from ('%s 00:00:00+00') to ('%s 00:00:00+00')".formatted(day, day.plusDays(1));
        try (Statement statement = connection.createStatement()) {
            lockUpkeep(statement);
            if (exists(connection, partition)) {
                return false;
            }
            statement.execute("lock table event in access exclusive mode");
            if (!hasRowsInDefault(connection, day)) {
                statement.execute("create table " + partition + " partition of event " + bounds);
                return true;
            }
            statement.execute("create table " + partition + " (like event)");
            statement.execute("""
                    with moved as (delete from event_default
                                    where received_at >= '%s 00:00:00+00' and received_at < '%s 00:00:00+00'
                                returning *)
                    insert into %s select * from moved""".formatted(day, day.plusDays(1), partition));
            statement.execute("alter table event attach partition " + partition + " " + bounds);
            return true;
        }
    }

    private static boolean hasRowsInDefault(Connection connection, LocalDate day) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "select exists (select 1 from event_default where received_at >= ? and received_at < ?)")) {
            query.setObject(1, day.atStartOfDay().atOffset(ZoneOffset.UTC));
            query.setObject(2, day.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    private static boolean detach(Connection connection, String partition) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            lockUpkeep(statement);
            if (!isAttached(connection, partition)) {
                return false; // detached by another instance, or by a pass that stopped before dropping it
            }
            statement.execute("alter table event detach partition " + partition);
            return true;
        }
    }

    private static long countAndDrop(Connection connection, String partition) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            lockUpkeep(statement);
            if (!exists(connection, partition) || isAttached(connection, partition)) {
                return 0L; // dropped by another instance meanwhile
            }
            long rows;
            try (ResultSet count = statement.executeQuery("select count(*) from " + partition)) {
                count.next();
                rows = count.getLong(1);
            }
            statement.execute("drop table " + partition);
            return rows;
        }
    }

    /** Waits for another instance's step; later statements wait at most LOCK_WAIT for the tables. */
    private static void lockUpkeep(Statement statement) throws SQLException {
        statement.execute("select pg_advisory_xact_lock(" + UPKEEP_LOCK + ")");
        statement.execute("set local lock_timeout = '" + LOCK_WAIT + "'");
    }

    /** The day partitions, attached or left detached by a pass that stopped halfway, oldest first. */
    private static List<String> dayPartitions(Connection connection) throws SQLException {
        List<String> partitions = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        select relname from pg_class
                         where relkind = 'r' and relnamespace = current_schema()::regnamespace and relname ~ '^event_p[0-9]{8}$'
                         order by relname""")) {
            while (rows.next()) {
                partitions.add(rows.getString(1));
            }
        }
        return partitions;
    }

    /**
     * Read from the catalog table itself, not through to_regclass: its cached name lookup may not
     * yet know of a table another instance created while this one waited for the advisory lock.
     */
    private static boolean exists(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "select exists (select 1 from pg_class where relname = ? and relnamespace = current_schema()::regnamespace)")) {
            query.setString(1, table);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    private static boolean isAttached(Connection connection, String partition) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                select exists (select 1 from pg_inherits
                                 join pg_class child on child.oid = inhrelid
                                 join pg_class parent on parent.oid = inhparent
                                where child.relname = ? and parent.relname = 'event'
                                  and child.relnamespace = current_schema()::regnamespace
                                  and parent.relnamespace = current_schema()::regnamespace)""")) {
            query.setString(1, partition);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    private interface Step<T> {
        T run() throws SQLException;
    }

    private static <T> T inTransaction(Connection connection, Step<T> step) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = step.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
