package dev.kizuna.security;

import static dev.kizuna.TestKeys.ADMIN_KEY;
import static dev.kizuna.TestKeys.WRITE_KEY;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AccessTests {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theReviewApiNeedsAnAdminBearerKey() {
        given().get("/api/messages").then().statusCode(401);
        given().header("Authorization", "Bearer wrong")
                .get("/api/messages")
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + ADMIN_KEY)
                .get("/api/messages")
                .then()
                .statusCode(200);
    }

    @Test
    void aWriteKeyCannotReadMessages() {
        given().header("Authorization", "Bearer " + WRITE_KEY)
                .get("/api/messages")
                .then()
                .statusCode(403);
    }

    @Test
    void keysAreStoredOnlyAsHashes() throws SQLException {
        String created = given().header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType("application/json")
                .body(Map.of("name", "stored-as-hash check", "role", "marketer"))
                .post("/api/keys")
                .then()
                .statusCode(201)
                .extract()
                .path("secret");

        List<Map<String, String>> rows = storedKeys();
        for (String secret : List.of(WRITE_KEY, ADMIN_KEY, created)) {
            for (Map<String, String> row : rows) {
                for (var column : row.entrySet()) {
                    assertFalse(
                            column.getValue() != null && column.getValue().contains(secret),
                            "api_key." + column.getKey() + " holds a secret in plain text");
                }
            }
            String sha256 = sha256Hex(secret);
            assertTrue(
                    rows.stream().anyMatch(row -> sha256.equals(row.get("key_hash"))),
                    "no row holds the SHA-256 of a live key");
        }
        String createdRole = rows.stream()
                .filter(row -> sha256Hex(created).equals(row.get("key_hash")))
                .findFirst()
                .orElseThrow()
                .get("role");
        assertTrue(
                "marketer".equalsIgnoreCase(createdRole),
                "the created key's row is a marketer key, not " + createdRole);
    }

    /** Every column of every stored key, as the database holds it. */
    private List<Map<String, String>> storedKeys() throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                ResultSet result = connection.createStatement().executeQuery("select * from api_key")) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                Map<String, String> row = new HashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(result.getMetaData().getColumnName(i).toLowerCase(), result.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static String sha256Hex(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void operationsEndpointsAreOpen() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
