package dev.kizuna.templates;

import dev.kizuna.problem.Problem.Violation;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The templates and the files among them that do not parse. */
@Path("/api/templates")
@Produces(MediaType.APPLICATION_JSON)
public class TemplatesResource {

    private final TemplateCatalog catalog;

    TemplatesResource(TemplateCatalog catalog) {
        this.catalog = catalog;
    }

    public record TemplateList(List<TemplateCatalog.TemplateSummary> templates, List<Violation> problems) {}

    @GET
    public TemplateList list() {
        return new TemplateList(catalog.summaries(), catalog.check());
    }
}
