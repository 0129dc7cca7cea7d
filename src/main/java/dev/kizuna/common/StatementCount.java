package dev.kizuna.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * Counts the SQL statements Kizuna sends through Hibernate (native queries included), as
 * kizuna_database_statements_total in /q/metrics: divided by the events of a run, it says how
 * much database work an event costs, which is what the benchmark reports per event.
 */
@PersistenceUnitExtension
public class StatementCount implements StatementInspector {

    private static final Counter STATEMENTS = Metrics.counter("kizuna.database.statements");

    /** Statements sent on Hibernate's connection but not through it (plain JDBC). */
    public static void countOutsideHibernate(int statements) {
        STATEMENTS.increment(statements);
    }

    @Override
    public String inspect(String sql) {
        STATEMENTS.increment();
        return sql;
    }
}
