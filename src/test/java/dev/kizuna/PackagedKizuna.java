package dev.kizuna;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * The packaged application (target/quarkus-app/quarkus-run.jar) started as its own JVM on a
 * PostgreSQL database of its own, for the tests and benchmarks that need real processes.
 */
public final class PackagedKizuna {

    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PackagedKizuna() {}

    /** Drops and creates a database on the test server. */
    public static void freshDatabase(String name) throws Exception {
        try (Connection connection = DriverManager.getConnection(SERVER + "test", "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
            statement.execute("create database " + name);
        }
    }

    /** The single number a query answers (a count). */
    public static long count(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    public static Connection connect(String database) throws Exception {
        return DriverManager.getConnection(SERVER + database, "postgres", "");
    }

    /**
     * Starts an instance on a port and database, its output in target/instance-{port}.log; the
     * settings given add to (or override) the ones every instance gets.
     */
    public static Process start(int port, String database, String heap, Map<String, String> settings)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-jar",
                System.getProperty("kizuna.it.jar", "target/quarkus-app/quarkus-run.jar"));
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", SERVER + database);
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        env.put("KIZUNA_LINKS_BASE_URL", "http://localhost:" + port);
        env.put("KIZUNA_LINKS_SECRET", "packaged-instance-test-secret-0123456789");
        env.put("KIZUNA_SECURITY_WRITE_RATE_LIMIT", "0");
        // Tests refresh profiles when they mean to: one on the hour would fire segment triggers in any test running
        // then.
        env.put("KIZUNA_RULES_PROFILE_REFRESH_CRON", "off");
        env.putAll(settings);
        builder.redirectErrorStream(true);
        builder.redirectOutput(logOf(port).toFile());
        return builder.start();
    }

    public static Path logOf(int port) {
        return Path.of("target", "instance-" + port + ".log");
    }

    /** Waits until the instance says it is ready. */
    public static void awaitReady(int port) {
        // An IOException: still starting, not yet listening.
        await("the instance on port " + port + " ready (see " + logOf(port) + ")")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> HTTP.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                                .timeout(Duration.ofSeconds(5))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
    }
}
