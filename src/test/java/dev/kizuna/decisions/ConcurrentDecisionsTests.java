package dev.kizuna.decisions;

import static dev.kizuna.TestKeys.asAdmin;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kizuna.SegmentCalls;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Events for one account arriving at once never produce a second message of a once-only rule. */
@QuarkusTest
class ConcurrentDecisionsTests {

    @Test
    void concurrentSignUpsOfOneUserProduceOneWelcome() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 5; round++) {
                String user = "cc-user-" + round;
                String account = "cc-account-" + round;
                SegmentCalls.identify(user, Map.of("email", user + "@concurrent.example"))
                        .statusCode(200);
                SegmentCalls.group(user, account, Map.of("plan", "trial")).statusCode(200);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int copy = 0; copy < 8; copy++) {
                    String messageId = account + "-signup-" + copy;
                    answers.add(pool.submit(() -> {
                        start.await();
                        return SegmentCalls.track(user, "Signed Up", account, messageId)
                                .extract()
                                .statusCode();
                    }));
                }
                start.countDown();
                for (Future<Integer> answer : answers) {
                    assertEquals(200, answer.get());
                }
                asAdmin()
                        .queryParam("userId", user)
                        .queryParam("rule", "welcome-new-workspace")
                        .get("/api/messages")
                        .then()
                        .statusCode(200)
                        .body("items", hasSize(2));
                asAdmin()
                        .get("/api/accounts/" + account)
                        .then()
                        .body("events.'Signed Up'.count", org.hamcrest.Matchers.equalTo(8));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
