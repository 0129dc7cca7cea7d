package dev.kizuna.templates;

import dev.kizuna.audit.AuditLog;
import dev.kizuna.problem.Problem.Violation;
import dev.kizuna.problem.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The templates, the files among them that do not parse, previews and test sends. */
@Path("/api/templates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Templates")
public class TemplatesResource {

    private final TemplateCatalog catalog;
    private final TemplatePreviews previews;
    private final CommercialEmailReview review;
    private final AuditLog audit;

    TemplatesResource(
            TemplateCatalog catalog, TemplatePreviews previews, CommercialEmailReview review, AuditLog audit) {
        this.audit = audit;
        this.catalog = catalog;
        this.previews = previews;
        this.review = review;
    }

    public record TemplateList(List<TemplateCatalog.TemplateSummary> templates, List<Violation> problems) {}

    @GET
    @Operation(
            summary = "List the templates",
            description =
                    "Each template with the channels its folder serves, and the problems of files that do not parse "
                            + "(template.yaml included) or of emails that lack what the law asks of them (file, line, message).")
    @APIResponse(responseCode = "200", description = "The templates and the problems of their files")
    public TemplateList list() {
        List<Violation> problems = new java.util.ArrayList<>(catalog.check());
        problems.addAll(review.problems());
        return new TemplateList(catalog.summaries(), problems);
    }

    /** Whom to render for; all optional but one of userId and accountId. */
    public record PreviewRequest(String userId, String accountId, String locale, String segment) {}

    /** A test send adds the address to send to. */
    public record TestSendRequest(String to, String userId, String accountId, String locale, String segment) {}

    @POST
    @Path("/{id}/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Preview a template for a real recipient",
            description =
                    "The template rendered for a user or an account (userId, accountId), optionally in a locale or for a "
                            + "segment: the email, the nudge, and the webhook and Slack bodies as they would be posted, for each channel "
                            + "its folder serves. Nothing is sent or recorded.")
    @APIResponse(responseCode = "200", description = "The rendered template, per channel")
    @APIResponse(
            responseCode = "400",
            description =
                    "No userId or accountId, an account without users, an unknown segment, or a body that is not valid JSON")
    @APIResponse(responseCode = "404", description = "No template, account or user with this id")
    @APIResponse(
            responseCode = "422",
            description =
                    "The template does not render for this recipient, or is past its output or time limit (errors: "
                            + "file, line, message)")
    public TemplatePreviews.Preview preview(@PathParam("id") String templateId, PreviewRequest request) {
        if (request == null) {
            throw ProblemException.badField("body", "a JSON object with userId or accountId is required");
        }
        return previews.preview(
                templateId,
                new TemplatePreviews.For(request.userId(), request.accountId(), request.locale(), request.segment()));
    }

    @POST
    @Path("/{id}/test-send")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Send a test of a template",
            description =
                    "Renders the email as preview does and sends it now to the address to, its subject marked [Test]. It is "
                            + "not a message: no unsubscribe header, nothing in the log. The test send is audited.")
    @APIResponse(responseCode = "200", description = "The address the test went to and the subject sent")
    @APIResponse(
            responseCode = "400",
            description = "to is missing or not an address, or the recipient is not one preview can render for")
    @APIResponse(responseCode = "404", description = "No email template, account or user with this id")
    @APIResponse(responseCode = "422", description = "The template does not render for this recipient")
    @APIResponse(responseCode = "502", description = "The SMTP server did not take the email")
    public TemplatePreviews.TestSend testSend(@PathParam("id") String templateId, TestSendRequest request) {
        if (request == null || request.to() == null || request.to().isBlank()) {
            throw ProblemException.badField("to", "the address to send the test to is required");
        }
        TemplatePreviews.TestSend sent = previews.testSend(
                templateId,
                request.to(),
                new TemplatePreviews.For(request.userId(), request.accountId(), request.locale(), request.segment()));
        audit.record("template.test-send", "template " + templateId, "to " + sent.to());
        return sent;
    }
}
