package dev.kizuna;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at /q/openapi describes every endpoint of the API under /v1 and /api: each
 * operation has a tag (its area), a summary and a description, and every error it may answer is
 * documented as the problem document Kizuna returns.
 *
 * <p>The web UI's pages (/ui) and the links in emails (/t) are left out of the document: they answer
 * HTML to people in a browser, signed in or following a link Kizuna signed, and no program is meant
 * to call them. Both are described in the README instead.
 */
@QuarkusTest
class OpenApiDocumentTests {

    private static final String PROBLEM = "#/components/schemas/Problem";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private JsonNode document;

    /** Fetched before each test, once the application is up (a static @BeforeAll may run before it starts). */
    @BeforeEach
    void fetchTheDocument() throws Exception {
        String json = given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        document = new ObjectMapper().readTree(json);
    }

    @Test
    void everyOperationHasATagASummaryAndADescription() {
        List<String> missing = new ArrayList<>();
        forEachOperation((name, operation) -> {
            if (!operation.path("tags").isArray() || operation.path("tags").isEmpty()) {
                missing.add(name + ": no tag");
            }
            if (operation.path("summary").asText("").isBlank()) {
                missing.add(name + ": no summary");
            }
            if (operation.path("description").asText("").isBlank()) {
                missing.add(name + ": no description");
            }
        });
        assertTrue(missing.isEmpty(), "operations the document does not describe:\n" + String.join("\n", missing));
    }

    @Test
    void everyTagIsDescribed() {
        Set<String> described = new HashSet<>();
        document.path("tags").forEach(tag -> {
            if (!tag.path("description").asText("").isBlank()) {
                described.add(tag.path("name").asText());
            }
        });
        List<String> undescribed = new ArrayList<>();
        forEachOperation((name, operation) -> operation.path("tags").forEach(tag -> {
            if (!described.contains(tag.asText())) {
                undescribed.add(name + ": tag '" + tag.asText() + "'");
            }
        }));
        assertTrue(undescribed.isEmpty(), "tags without a description:\n" + String.join("\n", undescribed));
    }

    @Test
    void everyOperationSaysWhatItAnswersAndEveryErrorIsAProblem() {
        List<String> wrong = new ArrayList<>();
        forEachOperation((name, operation) -> {
            JsonNode responses = operation.path("responses");
            boolean answers = false;
            boolean refuses = false;
            for (Iterator<Map.Entry<String, JsonNode>> codes = responses.fields(); codes.hasNext(); ) {
                Map.Entry<String, JsonNode> response = codes.next();
                String code = response.getKey();
                if (response.getValue().path("description").asText("").isBlank()) {
                    wrong.add(name + " " + code + ": no description");
                }
                if (code.startsWith("2") || code.startsWith("3")) {
                    answers = true;
                } else if (code.startsWith("4") || code.startsWith("5")) {
                    refuses = true;
                    JsonNode problem = response.getValue()
                            .path("content")
                            .path("application/problem+json")
                            .path("schema");
                    if (!PROBLEM.equals(problem.path("$ref").asText())) {
                        wrong.add(name + " " + code + ": not an application/problem+json " + PROBLEM);
                    }
                }
            }
            if (!answers) {
                wrong.add(name + ": no successful answer");
            }
            if (!refuses) {
                wrong.add(name + ": no error answer");
            }
        });
        assertTrue(
                wrong.isEmpty(), "responses the document does not describe as they are:\n" + String.join("\n", wrong));
        assertTrue(
                document.path("components")
                        .path("schemas")
                        .path("Problem")
                        .path("properties")
                        .has("type"),
                "the Problem schema is in the document with its type");
    }

    @Test
    void theDocumentCoversTheApiAndLeavesOutPagesAndEmailLinks() {
        JsonNode paths = document.path("paths");
        List<String> outside = new ArrayList<>();
        paths.fieldNames().forEachRemaining(path -> {
            if (!path.startsWith("/v1/") && !path.startsWith("/api/")) {
                outside.add(path);
            }
        });
        assertTrue(outside.isEmpty(), "paths outside /v1 and /api: " + outside);
        for (String path : List.of(
                "/v1/track",
                "/v1/batch",
                "/v1/nudges",
                "/api/accounts/{id}",
                "/api/rules",
                "/api/rules/run",
                "/api/rules/{id}/run",
                "/api/rules/{id}/runs",
                "/api/rules/{id}/sequence",
                "/api/rules/{id}/simulate",
                "/api/templates/{id}/preview",
                "/api/keys",
                "/api/audit",
                "/api/users/{id}",
                "/api/reports/rules")) {
            assertTrue(paths.has(path), "the document lacks " + path);
        }
    }

    @Test
    void operationsAreGroupedByAreaAndSayWhichKeyTheyTake() {
        JsonNode fire = document.path("paths").path("/api/rules/{id}/run").path("post");
        assertEquals("Rules", fire.path("tags").path(0).asText());
        assertTrue(
                fire.path("responses").path("403").path("description").asText().contains("marketer key"),
                fire.toString());
        assertTrue(fire.path("security").path(0).has("bearerKey"), fire.toString());
        JsonNode track = document.path("paths").path("/v1/track").path("post");
        assertEquals("Segment ingestion", track.path("tags").path(0).asText());
        assertTrue(track.path("security").path(0).has("writeKey"), track.toString());
        JsonNode keys = document.path("paths").path("/api/keys").path("get");
        assertTrue(
                keys.path("responses").path("403").path("description").asText().contains("admin key"), keys.toString());
        JsonNode webhook = document.path("paths").path("/v1/webhooks/{source}").path("post");
        assertTrue(webhook.path("security").isMissingNode(), "a signed webhook takes no key: " + webhook);
    }

    private void forEachOperation(java.util.function.BiConsumer<String, JsonNode> check) {
        document.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
                    if (METHODS.contains(method.getKey())) {
                        check.accept(method.getKey().toUpperCase() + " " + path.getKey(), method.getValue());
                    }
                }));
    }
}
