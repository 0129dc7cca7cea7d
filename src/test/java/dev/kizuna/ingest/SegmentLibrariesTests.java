package dev.kizuna.ingest;

import static dev.kizuna.TestKeys.WRITE_KEY;
import static dev.kizuna.TestKeys.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A product already instrumented with Segment or RudderStack points its official library at
 * Kizuna and changes nothing else. The libraries are installed from npm into target/ and run
 * with Node; without Node the test is skipped and says why.
 */
@QuarkusTest
class SegmentLibrariesTests {

    private static final Path WORK = Path.of("target", "node-sdk");
    private static boolean sent;

    @TestHTTPResource("/")
    URL kizuna;

    @BeforeAll
    static void installTheLibraries() throws Exception {
        Assumptions.assumeTrue(
                runs("node", "--version") && runs("npm", "--version"),
                "Node.js and npm are not installed: the official Segment and RudderStack libraries cannot be run");
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "send-events.mjs")) {
            Files.copy(Path.of("src", "test", "node", file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Result install = run(
                WORK,
                Duration.ofMinutes(4),
                "npm",
                "install",
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
                "--loglevel=error");
        assertEquals(0, install.exitCode(), () -> "npm install failed:\n" + install.output());
    }

    private void sendOnce() throws Exception {
        if (sent) {
            return;
        }
        String base = kizuna.toString().replaceAll("/$", "");
        Result result = run(WORK, Duration.ofSeconds(90), "node", "send-events.mjs", base, WRITE_KEY, "lib");
        assertEquals(0, result.exitCode(), () -> "the libraries reported errors:\n" + result.output());
        sent = true;
    }

    @Test
    void segmentsAnalyticsNodeLibraryFeedsAccountAndUserState() throws Exception {
        sendOnce();
        assertStateOf("segment");
    }

    @Test
    void rudderStacksNodeSdkFeedsAccountAndUserState() throws Exception {
        sendOnce();
        assertStateOf("rudderstack");
    }

    private static void assertStateOf(String library) {
        String user = "lib-" + library + "-user";
        String account = "lib-" + library + "-account";
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> asAdmin()
                        .get("/api/users/" + user)
                        .then()
                        .statusCode(200)
                        .body("email", equalTo(user + "@libraries.example"))
                        .body("name", equalTo(library + " User"))
                        .body("accountIds", hasItem(account)));
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> asAdmin()
                        .get("/api/accounts/" + account)
                        .then()
                        .statusCode(200)
                        .body("name", equalTo(library + " Co"))
                        .body("plan", equalTo("team"))
                        .body("events.'Report Exported'.count", equalTo(1))
                        .body("events.'Viewed Pricing Page'.count", equalTo(1)));
    }

    private record Result(int exitCode, String output) {}

    private static boolean runs(String... command) {
        try {
            return run(Path.of("."), Duration.ofSeconds(20), command).exitCode() == 0;
        } catch (IOException | InterruptedException absent) {
            return false;
        }
    }

    private static Result run(Path dir, Duration timeout, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("kizuna-node", ".log");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out after " + timeout + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
