package dev.kizuna.security;

import static dev.kizuna.TestKeys.ADMIN_KEY;
import static dev.kizuna.TestKeys.WRITE_KEY;
import static dev.kizuna.TestKeys.asAdmin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's "Access" table is the specification: every endpoint it lists is called with no
 * key and with a key of each role, and answers 401, 403 or gets through exactly as the table says.
 */
@QuarkusTest
class AccessTableTests {

    /** Stands for every {placeholder} of the table: an id nothing has, so that no call changes real data. */
    private static final String UNKNOWN_ID = "999999";

    private final Map<Role, String> keys = new EnumMap<>(Role.class);

    @BeforeEach
    void oneKeyOfEachRole() {
        keys.put(Role.WRITE, WRITE_KEY);
        keys.put(Role.ADMIN, ADMIN_KEY);
        for (Role role : List.of(Role.CSM, Role.MARKETER)) {
            keys.put(
                    role,
                    asAdmin()
                            .contentType("application/json")
                            .body(Map.of("name", "access table " + role.wireName(), "role", role.wireName()))
                            .post("/api/keys")
                            .then()
                            .statusCode(201)
                            .extract()
                            .path("secret"));
        }
    }

    record Row(String method, String path, List<Role> allowed) {}

    @Test
    void everyEndpointOfTheAccessTableLetsInExactlyItsRoles() throws IOException {
        List<Row> rows = accessTable();
        assertTrue(rows.size() >= 25, "the table lists every endpoint: " + rows.size());
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            int anonymous = call(row, null, null);
            if (anonymous != 401) {
                wrong.add(row.method() + " " + row.path() + " without a key: " + anonymous);
            }
            for (Role role : Role.values()) {
                int status = call(row, role, keys.get(role));
                boolean allowed = row.allowed().contains(role);
                if (allowed ? status == 401 || status == 403 : status != 403) {
                    wrong.add(row.method() + " " + row.path() + " with a " + role.wireName() + " key: " + status
                            + (allowed ? " but the table allows it" : " but the table forbids it"));
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aRevokedKeyIsRefusedAtOnce() {
        String secret = asAdmin()
                .contentType("application/json")
                .body(Map.of("name", "short-lived", "role", "csm"))
                .post("/api/keys")
                .then()
                .statusCode(201)
                .extract()
                .path("secret");
        int id = asAdmin()
                .get("/api/keys")
                .then()
                .statusCode(200)
                .extract()
                .path("keys.find { it.name == 'short-lived' }.id");
        given().header("Authorization", "Bearer " + secret)
                .get("/api/messages")
                .then()
                .statusCode(200);
        asAdmin().delete("/api/keys/" + id).then().statusCode(200);
        given().header("Authorization", "Bearer " + secret)
                .get("/api/messages")
                .then()
                .statusCode(401);
        assertFalse(
                asAdmin().get("/api/keys").then().extract().asString().contains(secret), "secrets are never listed");
    }

    @Test
    void keyChangesAreInTheAuditLogWithWhoMadeThem() {
        asAdmin()
                .contentType("application/json")
                .body(Map.of("name", "audited", "role", "marketer"))
                .post("/api/keys")
                .then()
                .statusCode(201);
        asAdmin()
                .get("/api/audit")
                .then()
                .statusCode(200)
                .body(
                        "items.find { it.detail == \"marketer key 'audited'\" }.action",
                        org.hamcrest.Matchers.equalTo("key.create"))
                .body(
                        "items.find { it.detail == \"marketer key 'audited'\" }.actor",
                        org.hamcrest.Matchers.startsWith("bootstrap admin key"));
    }

    @Test
    void aKeyNeedsAKnownRoleAndAName() {
        asAdmin()
                .contentType("application/json")
                .body(Map.of("name", "x", "role", "root"))
                .post("/api/keys")
                .then()
                .statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("role"));
        asAdmin()
                .contentType("application/json")
                .body(Map.of("role", "csm"))
                .post("/api/keys")
                .then()
                .statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("name"));
    }

    private static int call(Row row, Role role, String secret) {
        RequestSpecification request = given().redirects().follow(false);
        if (secret != null) {
            request = row.path().startsWith("/v1/")
                    ? request.auth().preemptive().basic(secret, "")
                    : request.header("Authorization", "Bearer " + secret);
        }
        if (row.path().endsWith("/validate")) {
            request = request.contentType("application/yaml")
                    .body("trigger: {event: Access Checked}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else if (!row.method().equals("GET") && !row.method().equals("DELETE")) {
            request = request.contentType("application/json").body("{}");
        }
        return request.request(row.method(), row.path()).statusCode();
    }

    /** The rows of the README's "Access" table, one per endpoint, placeholders filled in. */
    private static List<Row> accessTable() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf("## Access");
        assertTrue(start >= 0, "README.md has an Access section");
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            String method = cells[1].strip().replace("`", "");
            List<Role> allowed = new ArrayList<>();
            Role[] columns = {Role.WRITE, Role.CSM, Role.MARKETER, Role.ADMIN};
            for (int i = 0; i < columns.length; i++) {
                if (cells[3 + i].contains("✓")) {
                    allowed.add(columns[i]);
                }
            }
            for (String endpoint : cells[2].split(",")) {
                String path = endpoint.strip().replace("`", "").replaceAll("\\{[^}]+}", UNKNOWN_ID);
                rows.add(new Row(method, path, allowed));
            }
        }
        return rows;
    }
}
