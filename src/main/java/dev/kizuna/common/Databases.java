package dev.kizuna.common;

import java.sql.Connection;
import java.sql.SQLException;

/** Which database a connection reaches, for the statements written for PostgreSQL alone (H2 takes a portable form). */
public final class Databases {

    private Databases() {}

    public static boolean isPostgres(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
    }
}
