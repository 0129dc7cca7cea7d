package dev.kizuna.ingest;

import static dev.kizuna.TestKeys.ADMIN_KEY;
import static dev.kizuna.TestKeys.WRITE_KEY;
import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and hostile requests each get a 4xx that says what is wrong, never a 5xx; the service
 * stays healthy and nothing of a rejected request is stored.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestBadInputTests {

    /** One bad request: where it goes, what it carries, and the status it must get. */
    record BadRequest(String name, String method, String path, String contentType, byte[] body, Auth auth, int status) {

        @Override
        public String toString() {
            return name;
        }
    }

    enum Auth {
        WRITE,
        NONE,
        WRONG,
        NOT_BASE64,
        ADMIN_BEARER,
        WRITE_BEARER
    }

    static BadRequest post(String name, String path, String body, int status) {
        return new BadRequest(
                name, "POST", path, "application/json", body.getBytes(StandardCharsets.UTF_8), Auth.WRITE, status);
    }

    static BadRequest postBytes(String name, String path, byte[] body, int status) {
        return new BadRequest(name, "POST", path, "application/json", body, Auth.WRITE, status);
    }

    static String nested(int depth) {
        return "{\"userId\":\"x\",\"traits\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}";
    }

    static String big(int bytes) {
        return "{\"userId\":\"x\",\"event\":\"Big\",\"properties\":{\"blob\":\"" + "x".repeat(bytes) + "\"}}";
    }

    static Stream<BadRequest> badRequests() {
        List<BadRequest> cases = new ArrayList<>();
        // Broken JSON
        cases.add(post("empty body", "/v1/track", "", 400));
        cases.add(post("null", "/v1/track", "null", 400));
        cases.add(post("an array", "/v1/track", "[1,2,3]", 400));
        cases.add(post("a string", "/v1/track", "\"track\"", 400));
        cases.add(post("truncated", "/v1/track", "{\"userId\":\"x\",\"event\":\"A\"", 400));
        cases.add(post("trailing garbage", "/v1/track", "{\"userId\":\"x\",\"event\":\"A\"} xyz", 400));
        cases.add(post("single quotes", "/v1/track", "{'userId':'x','event':'A'}", 400));
        cases.add(post("comments", "/v1/track", "{/* c */\"userId\":\"x\",\"event\":\"A\"}", 400));
        cases.add(post("NaN", "/v1/track", "{\"userId\":\"x\",\"event\":\"A\",\"properties\":{\"n\":NaN}}", 400));
        cases.add(post(
                "Infinity", "/v1/track", "{\"userId\":\"x\",\"event\":\"A\",\"properties\":{\"n\":Infinity}}", 400));
        cases.add(post("duplicate keys", "/v1/track", "{\"userId\":\"x\",\"userId\":\"y\",\"event\":\"A\"}", 400));
        cases.add(postBytes(
                "invalid UTF-8",
                "/v1/track",
                new byte[] {'{', '"', 'u', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                400));
        cases.add(post("unquoted key", "/v1/identify", "{userId:\"x\"}", 400));
        cases.add(post(
                "a JSON pointer-ish messageId with control characters",
                "/v1/identify",
                "{\"userId\":\"x\",\"messageId\":{}}",
                400));
        // Sizes and depth
        cases.add(post("a 40 KB event", "/v1/track", big(40 * 1024), 413));
        cases.add(post("a 600 KB batch", "/v1/batch", "{\"batch\":[" + big(600 * 1024) + "]}", 413));
        cases.add(post("a 40 KB event in a batch", "/v1/batch", "{\"batch\":[" + big(40 * 1024) + "]}", 400));
        cases.add(post("nesting 100 deep", "/v1/identify", nested(100), 400));
        cases.add(post(
                "a number with 1000 digits",
                "/v1/track",
                "{\"userId\":\"x\",\"event\":\"A\",\"properties\":{\"n\":" + "9".repeat(1000) + "}}",
                400));
        // Wrong types and missing identity
        cases.add(post("userId an object", "/v1/identify", "{\"userId\":{\"id\":1}}", 400));
        cases.add(post("userId an array", "/v1/identify", "{\"userId\":[1]}", 400));
        cases.add(post("userId a boolean", "/v1/identify", "{\"userId\":true}", 400));
        cases.add(post("userId a float", "/v1/identify", "{\"userId\":1.5}", 400));
        cases.add(post("userId of 300 characters", "/v1/identify", "{\"userId\":\"" + "u".repeat(300) + "\"}", 400));
        cases.add(post("no identity", "/v1/identify", "{\"traits\":{\"a\":1}}", 400));
        cases.add(post("blank identity", "/v1/track", "{\"userId\":\"  \",\"event\":\"A\"}", 400));
        cases.add(post("event missing", "/v1/track", "{\"userId\":\"x\"}", 400));
        cases.add(post("event a number", "/v1/track", "{\"userId\":\"x\",\"event\":42}", 400));
        cases.add(post("event empty", "/v1/track", "{\"userId\":\"x\",\"event\":\"\"}", 400));
        cases.add(post(
                "event of 300 characters",
                "/v1/track",
                "{\"userId\":\"x\",\"event\":\"" + "e".repeat(300) + "\"}",
                400));
        cases.add(post("traits a string", "/v1/identify", "{\"userId\":\"x\",\"traits\":\"vip\"}", 400));
        cases.add(post("traits an array", "/v1/identify", "{\"userId\":\"x\",\"traits\":[1]}", 400));
        cases.add(post("traits a number", "/v1/identify", "{\"userId\":\"x\",\"traits\":7}", 400));
        cases.add(
                post("properties an array", "/v1/track", "{\"userId\":\"x\",\"event\":\"A\",\"properties\":[]}", 400));
        cases.add(post("context a string", "/v1/track", "{\"userId\":\"x\",\"event\":\"A\",\"context\":\"web\"}", 400));
        // Invalid timestamps
        cases.add(post(
                "timestamp yesterday",
                "/v1/track",
                "{\"userId\":\"x\",\"event\":\"A\",\"timestamp\":\"yesterday\"}",
                400));
        cases.add(post(
                "timestamp month 13",
                "/v1/track",
                "{\"userId\":\"x\",\"event\":\"A\",\"timestamp\":\"2026-13-45T00:00:00Z\"}",
                400));
        cases.add(post(
                "timestamp a number", "/v1/track", "{\"userId\":\"x\",\"event\":\"A\",\"timestamp\":1700000000}", 400));
        cases.add(post(
                "timestamp year 1",
                "/v1/track",
                "{\"userId\":\"x\",\"event\":\"A\",\"timestamp\":\"0001-01-01T00:00:00Z\"}",
                400));
        cases.add(post(
                "timestamp year 99999",
                "/v1/track",
                "{\"userId\":\"x\",\"event\":\"A\",\"timestamp\":\"+99999-01-01T00:00:00Z\"}",
                400));
        cases.add(post("sentAt invalid", "/v1/track", "{\"userId\":\"x\",\"event\":\"A\",\"sentAt\":\"now\"}", 400));
        cases.add(post(
                "two objects back to back",
                "/v1/track",
                "{\"userId\":\"x\",\"event\":\"A\"}{\"userId\":\"y\",\"event\":\"B\"}",
                400));
        cases.add(post("a control character in an id", "/v1/identify", "{\"userId\":\"x\\u0000y\"}", 400));
        cases.add(post(
                "a control character in an event name", "/v1/track", "{\"userId\":\"x\",\"event\":\"A\\u0007\"}", 400));
        cases.add(post(
                "sentAt that puts the event before 1970",
                "/v1/track",
                "{\"userId\":\"x\",\"event\":\"A\",\"originalTimestamp\":\"1970-01-01T00:00:00Z\",\"sentAt\":\"9998-12-31T00:00:00Z\"}",
                400));
        // Batches
        cases.add(post("batch not an array", "/v1/batch", "{\"batch\":{\"type\":\"track\"}}", 400));
        cases.add(post("batch missing", "/v1/batch", "{\"events\":[]}", 400));
        cases.add(post("batch item not an object", "/v1/batch", "{\"batch\":[1,2]}", 400));
        cases.add(post(
                "batch item of unknown type",
                "/v1/batch",
                "{\"batch\":[{\"type\":\"explode\",\"userId\":\"x\"}]}",
                400));
        cases.add(
                post("batch item without type", "/v1/batch", "{\"batch\":[{\"userId\":\"x\",\"event\":\"A\"}]}", 400));
        cases.add(post(
                "one bad item rejects the batch",
                "/v1/batch",
                "{\"batch\":[{\"type\":\"group\",\"userId\":\"bad-u\",\"groupId\":\"bad-batch-account\"},{\"type\":\"track\",\"userId\":\"bad-u\"}]}",
                400));
        // Call-specific requirements
        cases.add(post("group without groupId", "/v1/group", "{\"userId\":\"x\"}", 400));
        cases.add(post("alias without previousId", "/v1/alias", "{\"userId\":\"x\"}", 400));
        cases.add(post("alias without userId", "/v1/alias", "{\"previousId\":\"x\"}", 400));
        // Keys
        cases.add(new BadRequest(
                "wrong write key",
                "POST",
                "/v1/track",
                "application/json",
                "{\"userId\":\"x\",\"event\":\"A\"}".getBytes(),
                Auth.WRONG,
                401));
        cases.add(new BadRequest(
                "no key at all",
                "POST",
                "/v1/track",
                "application/json",
                "{\"userId\":\"x\",\"event\":\"A\"}".getBytes(),
                Auth.NONE,
                401));
        cases.add(new BadRequest(
                "Basic header not base64",
                "POST",
                "/v1/track",
                "application/json",
                "{\"userId\":\"x\",\"event\":\"A\"}".getBytes(),
                Auth.NOT_BASE64,
                401));
        cases.add(new BadRequest(
                "wrong writeKey in the body",
                "POST",
                "/v1/track",
                "application/json",
                "{\"writeKey\":\"nope\",\"userId\":\"x\",\"event\":\"A\"}".getBytes(),
                Auth.NONE,
                401));
        cases.add(new BadRequest(
                "write key on the message log", "GET", "/api/messages", null, null, Auth.WRITE_BEARER, 403));
        cases.add(new BadRequest("no key on the message log", "GET", "/api/messages", null, null, Auth.NONE, 401));
        // Query parameters and routes
        cases.add(new BadRequest("limit 0", "GET", "/api/messages?limit=0", null, null, Auth.ADMIN_BEARER, 400));
        cases.add(new BadRequest(
                "limit 100000", "GET", "/api/messages?limit=100000", null, null, Auth.ADMIN_BEARER, 400));
        cases.add(new BadRequest(
                "limit not a number", "GET", "/api/messages?limit=abc", null, null, Auth.ADMIN_BEARER, 400));
        cases.add(new BadRequest(
                "unknown status filter", "GET", "/api/messages?status=exploded", null, null, Auth.ADMIN_BEARER, 400));
        cases.add(new BadRequest(
                "before not a number", "GET", "/api/messages?before=yesterday", null, null, Auth.ADMIN_BEARER, 400));
        cases.add(new BadRequest("nudges without userId", "GET", "/v1/nudges", null, null, Auth.WRITE, 400));
        cases.add(new BadRequest(
                "unknown path under /v1", "POST", "/v1/explode", "application/json", "{}".getBytes(), Auth.WRITE, 404));
        cases.add(new BadRequest("GET on track", "GET", "/v1/track", null, null, Auth.WRITE, 405));
        cases.add(new BadRequest(
                "explain without rule", "GET", "/api/accounts/x/explain", null, null, Auth.ADMIN_BEARER, 400));
        cases.add(new BadRequest(
                "validate with a bad file name",
                "POST",
                "/api/rules/validate?file=../../etc/passwd",
                "text/plain",
                "trigger: {event: X}".getBytes(),
                Auth.ADMIN_BEARER,
                400));
        return cases.stream();
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void eachBadRequestGetsAClear4xx(BadRequest bad) {
        RequestSpecification request = switch (bad.auth()) {
            case WRITE -> given().auth().preemptive().basic(WRITE_KEY, "");
            case NONE -> given();
            case WRONG -> given().auth().preemptive().basic("not-a-key", "");
            case NOT_BASE64 -> given().header("Authorization", "Basic !!!not-base64!!!");
            case ADMIN_BEARER -> given().header("Authorization", "Bearer " + ADMIN_KEY);
            case WRITE_BEARER -> given().header("Authorization", "Bearer " + WRITE_KEY);
        };
        if (bad.contentType() != null) {
            request = request.contentType(bad.contentType());
        }
        if (bad.body() != null) {
            request = request.body(bad.body());
        }
        Response response = bad.method().equals("GET") ? request.get(bad.path()) : request.post(bad.path());
        assertEquals(bad.status(), response.statusCode(), () -> bad.name() + ": " + response.asString());
        if (response.contentType() != null
                && response.contentType().contains("json")
                && response.statusCode() != 405
                && response.statusCode() != 404) {
            assertEquals(bad.status(), (int) response.jsonPath().getInt("status"), bad.name());
            assertNotNull(response.jsonPath().getString("detail"), bad.name());
        }
    }

    /**
     * The server answers a body over its limit from the Content-Length alone. Sent with
     * "Expect: 100-continue", as HTTP clients do for large bodies, no byte of the body is in flight
     * when the server closes the connection, so its answer cannot be lost to a reset.
     */
    @Test
    void aBodyOverTheHttpLimitIs413() throws Exception {
        byte[] body = big(1200 * 1024).getBytes(StandardCharsets.UTF_8);
        String auth = java.util.Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            var in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out.write(
                    ("POST /v1/batch HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: Basic "
                                    + auth + "\r\nContent-Length: " + body.length + "\r\nExpect: 100-continue\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = in.readLine();
            if (statusLine != null && statusLine.startsWith("HTTP/1.1 100")) {
                in.readLine();
                out.write(body);
                out.flush();
                statusLine = in.readLine();
            }
            assertTrue(statusLine != null && statusLine.startsWith("HTTP/1.1 413"), "answered " + statusLine);
        }
    }

    @Order(2)
    @Test
    void hostileButValidValuesAreStoredVerbatimNotExecuted() {
        String sql = "'; drop table account; --";
        String template = "${7*7} <#assign x = \"freemarker.template.utility.Execute\"?new()>";
        asProduct()
                .body(Map.of(
                        "userId",
                        "bad-hostile",
                        "groupId",
                        "bad-hostile-co",
                        "traits",
                        Map.of("name", sql, "motto", template)))
                .post("/v1/group")
                .then()
                .statusCode(200);
        asAdmin()
                .get("/api/accounts/bad-hostile-co")
                .then()
                .statusCode(200)
                .body("traits.name", equalTo(sql))
                .body("traits.motto", equalTo(template));
    }

    @Order(2)
    @Test
    void traitsTooLongOrOutOfRangeForTheirColumnsStayInTheTraitsOnly() {
        String longName = "N".repeat(300);
        asProduct()
                .body(Map.of(
                        "userId",
                        "bad-long",
                        "traits",
                        Map.of(
                                "name",
                                longName,
                                "email",
                                "e".repeat(400),
                                "locale",
                                "l".repeat(40),
                                "timezone",
                                "Not/AZone",
                                "firstName",
                                "F".repeat(300))))
                .post("/v1/identify")
                .then()
                .statusCode(200);
        asAdmin()
                .get("/api/users/bad-long")
                .then()
                .statusCode(200)
                .body("name", org.hamcrest.Matchers.nullValue())
                .body("timezone", org.hamcrest.Matchers.nullValue())
                .body("traits.name", equalTo(longName));
        asProduct()
                .body(Map.of(
                        "userId",
                        "bad-long",
                        "groupId",
                        "bad-range-co",
                        "traits",
                        Map.of("createdAt", 100000000000000000L, "mrr", "1e99999999", "arr", "1e999999999")))
                .post("/v1/group")
                .then()
                .statusCode(200);
        asAdmin()
                .get("/api/accounts/bad-range-co")
                .then()
                .statusCode(200)
                .body("mrr", org.hamcrest.Matchers.nullValue())
                .body("arr", org.hamcrest.Matchers.nullValue());
    }

    @Order(3)
    @Test
    void afterAllThatTheServiceIsHealthyAndConsistent() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        asAdmin().get("/api/accounts/bad-batch-account").then().statusCode(404);
        asProduct()
                .body(Map.of("userId", "bad-control", "groupId", "bad-control-co"))
                .post("/v1/group")
                .then()
                .statusCode(200);
        asProduct()
                .body(Map.of(
                        "userId",
                        "bad-control",
                        "event",
                        "Still Works",
                        "context",
                        Map.of("groupId", "bad-control-co")))
                .post("/v1/track")
                .then()
                .statusCode(200);
        asAdmin().get("/api/accounts/bad-control-co").then().body("events.'Still Works'.count", equalTo(1));
    }

    @Test
    void theSameBatchPostedTwiceConcurrentlyHasOneEffect() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String account = "bad-concurrent-" + round;
                List<Map<String, Object>> calls = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    calls.add(Map.of(
                            "type",
                            "track",
                            "userId",
                            "bad-cu-" + round,
                            "event",
                            "Clicked",
                            "messageId",
                            account + "-m" + i,
                            "context",
                            Map.of("groupId", account)));
                }
                Map<String, Object> batch = Map.of("batch", calls);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int copy = 0; copy < 2; copy++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return asProduct().body(batch).post("/v1/batch").statusCode();
                    }));
                }
                start.countDown();
                for (Future<Integer> answer : answers) {
                    assertEquals(200, answer.get());
                }
                asAdmin().get("/api/accounts/" + account).then().body("events.'Clicked'.count", equalTo(50));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
