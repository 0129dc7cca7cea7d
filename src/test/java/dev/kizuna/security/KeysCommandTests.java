package dev.kizuna.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line creates, lists and revokes keys in the same database the server uses. */
@QuarkusTest
class KeysCommandTests {

    @Inject
    KeysCommand command;

    @Test
    void aKeyCreatedOnTheCommandLineWorksUntilItIsRevokedThere() {
        Result created = run("keys", "create", "csm", "Support", "desk");
        assertEquals(0, created.exitCode(), created.err());
        assertTrue(created.out().startsWith("created csm key "), created.out());
        String secret = created.out()
                .lines()
                .filter(line -> line.startsWith("secret (shown only now): "))
                .findFirst()
                .orElseThrow()
                .substring("secret (shown only now): ".length());
        String id = created.out().split(" ")[3];

        given().header("Authorization", "Bearer " + secret)
                .get("/api/messages")
                .then()
                .statusCode(200);
        assertTrue(run("keys", "list").out().contains(id + "\tcsm\tSupport desk\t"));

        assertEquals(0, run("keys", "revoke", id).exitCode());
        given().header("Authorization", "Bearer " + secret)
                .get("/api/messages")
                .then()
                .statusCode(401);
        assertTrue(run("keys", "list")
                .out()
                .lines()
                .anyMatch(line -> line.startsWith(id + "\t") && line.contains("revoked")));
    }

    @Test
    void aWrongCommandPrintsTheUsageAndExitsWith2() {
        for (String[] wrong :
                new String[][] {{"keys"}, {"keys", "create", "root", "x"}, {"keys", "revoke", "abc"}, {"users", "list"}
                }) {
            Result result = run(wrong);
            assertEquals(2, result.exitCode(), String.join(" ", wrong));
            assertTrue(result.err().contains("usage: keys create"), result.err());
        }
        Result unknown = run("keys", "revoke", "999999");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("no API key with id 999999"));
    }

    record Result(int exitCode, String out, String err) {}

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = command.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
