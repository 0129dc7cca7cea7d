package dev.kizuna.ingest;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.RestAssuredConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Batches as a real Segment integration sends them: from several clients at once, each mixing
 * users of the same accounts in random order. Every batch is answered 200, every event counted
 * once, and no two batches deadlock (none needs a retry). PostgreSQL suite only: it is where
 * deadlocks are detected and reported; H2 gives up waiting for a row lock after a second, which
 * batches queued behind each other on shared accounts exceed.
 */
@QuarkusTest
class ConcurrentBatchesTests {

    static final int CLIENTS = 8;
    static final int BATCHES_PER_CLIENT = 2;
    static final int CALLS_PER_BATCH = 100;
    static final int ACCOUNTS = 6;
    static final int USERS_PER_ACCOUNT = 5;
    /**
     * Every batch touches every shared account, so the batches run one after another: the last
     * one answers after all the others, which on a loaded machine takes longer than the suite's
     * usual 30-second read timeout.
     */
    private static RestAssuredConfig patient() {
        return RestAssured.config()
                .httpClient(RestAssured.config().getHttpClientConfig().setParam("http.socket.timeout", 150_000));
    }

    @Test
    void concurrentBatchesOfUsersSharingAccountsAllSucceedAndCountEachEventOnce() throws Exception {
        Assumptions.assumeTrue(
                "postgresql".equals(ConfigProvider.getConfig().getValue("quarkus.datasource.db-kind", String.class)),
                "deadlocks between batches show on PostgreSQL (mvn verify -Ppostgres)");
        Random random = new Random(13);
        // Each batch: track calls of random users of the shared accounts, in random order.
        List<List<Map<String, Object>>> batches = new ArrayList<>();
        Map<String, Integer> expectedByAccount = new HashMap<>();
        Map<String, Integer> expectedByUser = new HashMap<>();
        for (int b = 0; b < CLIENTS * BATCHES_PER_CLIENT; b++) {
            List<Map<String, Object>> calls = new ArrayList<>();
            for (int i = 0; i < CALLS_PER_BATCH; i++) {
                int account = random.nextInt(ACCOUNTS);
                String accountId = "cb-a" + account;
                String userId = "cb-u" + account + "-" + random.nextInt(USERS_PER_ACCOUNT);
                calls.add(Map.of(
                        "type",
                        "track",
                        "userId",
                        userId,
                        "event",
                        "Shared Work",
                        "messageId",
                        "cb-" + b + "-" + i,
                        "context",
                        Map.of("groupId", accountId)));
                expectedByAccount.merge(accountId, 1, Integer::sum);
                expectedByUser.merge(userId, 1, Integer::sum);
            }
            batches.add(calls);
        }
        // A first call so that the retry counter exists before it is read.
        asProduct()
                .body(Map.of("userId", "cb-first", "event", "Shared Work"))
                .post("/v1/track")
                .then()
                .statusCode(200);
        double retriedBefore = conflictsRetried();

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<Integer>>> answers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                answers.add(clients.submit(() -> {
                    start.await();
                    List<Integer> statuses = new ArrayList<>();
                    for (int b = 0; b < BATCHES_PER_CLIENT; b++) {
                        statuses.add(asProduct()
                                .config(patient())
                                .body(Map.of("batch", batches.get(client * BATCHES_PER_CLIENT + b)))
                                .post("/v1/batch")
                                .statusCode());
                    }
                    return statuses;
                }));
            }
            start.countDown();
            for (Future<List<Integer>> answer : answers) {
                assertEquals(List.of(200, 200), answer.get(3, TimeUnit.MINUTES));
            }
        } finally {
            clients.shutdownNow();
        }

        expectedByAccount.forEach((account, count) -> asAdmin()
                .get("/api/accounts/" + account)
                .then()
                .statusCode(200)
                .body("events.'Shared Work'.count", equalTo(count)));
        expectedByUser.forEach((user, count) -> asAdmin()
                .get("/api/users/" + user)
                .then()
                .statusCode(200)
                .body("events.'Shared Work'.count", equalTo(count)));
        assertEquals(retriedBefore, conflictsRetried(), "batches that had to be retried after a deadlock");
    }

    /** Retries after a deadlock or serialization conflict so far, from the metrics operators read. */
    private static double conflictsRetried() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher counter = Pattern.compile("(?m)^kizuna_database_conflicts_retried_total(?:\\{[^}]*\\})? (\\S+)$")
                .matcher(metrics);
        assertTrue(counter.find(), "kizuna_database_conflicts_retried_total in /q/metrics");
        return Double.parseDouble(counter.group(1));
    }
}
