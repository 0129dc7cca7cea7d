package dev.kizuna.security;

import dev.kizuna.problem.ProblemResponses;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Says in the OpenAPI document what {@link AccessFilter} asks of each call, read from the same
 * table ({@link AccessPolicy}): the key it takes, and the 401, 403 and 429 it may answer.
 */
@OpenApiFilter
public class AccessDocumentation implements OASFilter {

    private static final String WRITE_KEY = "writeKey";
    private static final String BEARER_KEY = "bearerKey";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        if (openAPI.getComponents() == null) {
            openAPI.components(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        components.addSecurityScheme(
                WRITE_KEY,
                OASFactory.createSecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("basic")
                        .description(
                                "A write key as the HTTP Basic user name with an empty password, as Segment's libraries send it"));
        components.addSecurityScheme(
                BEARER_KEY,
                OASFactory.createSecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("A csm, marketer or admin key as 'Authorization: Bearer <key>'"));
        for (Map.Entry<String, PathItem> path :
                openAPI.getPaths().getPathItems().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> operation :
                    path.getValue().getOperations().entrySet()) {
                // A path template's variables stand for one segment each, as a real id would.
                Role needed = AccessPolicy.needed(
                        operation.getKey().name(), path.getKey().replaceAll("\\{[^}]+}", "x"));
                if (needed != null) {
                    document(operation.getValue(), needed);
                }
            }
        }
    }

    private static void document(Operation operation, Role needed) {
        boolean basic = needed == Role.WRITE;
        operation.addSecurityRequirement(
                OASFactory.createSecurityRequirement().addScheme(basic ? WRITE_KEY : BEARER_KEY));
        if (operation.getResponses() == null) {
            operation.responses(OASFactory.createAPIResponses());
        }
        String key = basic ? "a write key" : "a " + needed.wireName() + " key";
        add(operation, "401", "No key, or a key that is unknown or revoked: this endpoint needs " + key);
        add(
                operation,
                "403",
                "The key's role may not call this endpoint: it needs " + key
                        + (needed == Role.ADMIN || basic ? "" : " (or a role above it)"));
        add(
                operation,
                "429",
                "The key made more calls than its rate limit allows; retry after the Retry-After seconds");
    }

    private static void add(Operation operation, String code, String description) {
        if (!operation.getResponses().hasAPIResponse(code)) {
            operation.getResponses().addAPIResponse(code, ProblemResponses.problem(description));
        }
    }
}
