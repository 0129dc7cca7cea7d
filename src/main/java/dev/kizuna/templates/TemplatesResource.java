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

/** The templates, the files among them that do not parse, previews and test sends. */
@Path("/api/templates")
@Produces(MediaType.APPLICATION_JSON)
public class TemplatesResource {

    private final TemplateCatalog catalog;
    private final TemplatePreviews previews;
    private final CommercialEmailReview review;
    private final AuditLog audit;

    TemplatesResource(TemplateCatalog catalog, TemplatePreviews previews, CommercialEmailReview review, AuditLog audit) {
        this.audit = audit;
        this.catalog = catalog;
        this.previews = previews;
        this.review = review;
    }

    public record TemplateList(List<TemplateCatalog.TemplateSummary> templates, List<Violation> problems) {}

    @GET
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
    public TemplatePreviews.Preview preview(@PathParam("id") String templateId, PreviewRequest request) {
        if (request == null) {
            throw ProblemException.badField("body", "a JSON object with userId or accountId is required");
        }
        return previews.preview(templateId, new TemplatePreviews.For(request.userId(), request.accountId(), request.locale(),
                request.segment()));
    }

    @POST
    @Path("/{id}/test-send")
    @Consumes(MediaType.APPLICATION_JSON)
    public TemplatePreviews.TestSend testSend(@PathParam("id") String templateId, TestSendRequest request) {
        if (request == null || request.to() == null || request.to().isBlank()) {
            throw ProblemException.badField("to", "the address to send the test to is required");
        }
        TemplatePreviews.TestSend sent = previews.testSend(templateId, request.to(), new TemplatePreviews.For(request.userId(),
                request.accountId(), request.locale(), request.segment()));
        audit.record("template.test-send", "template " + templateId, "to " + sent.to());
        return sent;
    }
}
