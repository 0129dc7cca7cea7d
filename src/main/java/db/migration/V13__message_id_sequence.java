package db.migration;

import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Message ids come from a sequence of their own, so that a set of decisions can take its ids in
 * one query before rendering (an email's links carry its message's id) and be inserted in one
 * statement. The column keeps a default from the same sequence, so that a single insert without
 * an id still works. Written in Java because the sequence starts after the ids already in use,
 * which neither database lets a portable SQL script compute.
 */
public class V13__message_id_sequence extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            long next;
            try (ResultSet max = statement.executeQuery("select coalesce(max(id), 0) + 1 from message")) {
                max.next();
                next = max.getLong(1);
            }
            statement.execute("create sequence message_id_sequence start with " + next);
            statement.execute("alter table message alter column id drop identity");
            statement.execute("alter table message alter column id set default nextval('message_id_sequence')");
        }
    }
}
