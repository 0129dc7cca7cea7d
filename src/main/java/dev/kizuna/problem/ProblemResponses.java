package dev.kizuna.problem;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Says in the OpenAPI document what {@link ProblemMappers} does for every endpoint: each error
 * response is a problem document, and any endpoint may fail (500) or find the database busy
 * (503). Resources document their own errors with a description only; the body comes from here.
 */
@OpenApiFilter
public class ProblemResponses implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : path.getOperations().values()) {
                if (operation.getResponses() == null) {
                    operation.responses(OASFactory.createAPIResponses());
                }
                add(
                        operation,
                        "500",
                        "Kizuna failed to handle the request; the detail names the incident operators find in the log");
                add(
                        operation,
                        "503",
                        "The database is busy or unavailable: nothing was done; retry after the Retry-After seconds");
                for (Map.Entry<String, APIResponse> response :
                        operation.getResponses().getAPIResponses().entrySet()) {
                    if (isError(response.getKey())
                            && response.getValue().getContent() == null
                            && response.getValue().getRef() == null) {
                        response.getValue().content(problemContent());
                    }
                }
            }
        }
    }

    /** An error response whose body is a problem document; for filters that add responses of their own. */
    public static APIResponse problem(String description) {
        return OASFactory.createAPIResponse().description(description).content(problemContent());
    }

    private static void add(Operation operation, String code, String description) {
        if (!operation.getResponses().hasAPIResponse(code)) {
            operation.getResponses().addAPIResponse(code, problem(description));
        }
    }

    private static boolean isError(String code) {
        return code.startsWith("4") || code.startsWith("5");
    }

    private static Content problemContent() {
        return OASFactory.createContent()
                .addMediaType(
                        Problem.MEDIA_TYPE,
                        OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref("Problem")));
    }
}
