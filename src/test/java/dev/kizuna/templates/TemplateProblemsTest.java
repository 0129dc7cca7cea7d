package dev.kizuna.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.problem.Problem.Violation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is wrong with a template is said with its file, its line and the reason, for template.yaml and includes alike. */
class TemplateProblemsTest {

    private static final Map<String, Object> MODEL = Map.of("user", Map.of("id", "u1", "first_name", "Ada"));

    @TempDir
    Path dir;

    @BeforeEach
    void emailTemplate() throws IOException {
        TestTemplates.greetingEmail(dir, "mail");
    }

    @Test
    void aTemplateYamlThatDoesNotParseIsReportedWithFileAndLine() throws IOException {
        write("mail/template.yaml", "category: onboarding\ndescription: Welcome: the first email\n");
        TemplateCatalog catalog = TestTemplates.catalog(dir);

        List<Violation> problems = catalog.problems();
        assertEquals(1, problems.size(), problems::toString);
        assertEquals("mail/template.yaml", problems.get(0).file());
        assertEquals(2, problems.get(0).line());
        assertTrue(
                problems.get(0).message().contains("quote a value that holds a colon"),
                problems.get(0).message());
        assertTrue(catalog.metadataProblem("mail").orElseThrow().startsWith("mail/template.yaml line 2: "));
    }

    @Test
    void anUnknownTemplateYamlKeyAndAnUnusablePlacementAreReported() throws IOException {
        write("mail/template.yaml", "description: fine\ncategroy: onboarding\n");
        write("tip/nudge-title.ftl", "Tip");
        write("tip/nudge-body.ftl", "Body");
        write("tip/template.yaml", "placement: popover\n");
        TemplateCatalog catalog = TestTemplates.catalog(dir);

        List<Violation> problems = catalog.problems();
        assertEquals(
                List.of("mail/template.yaml", "tip/template.yaml"),
                problems.stream().map(Violation::file).toList());
        assertEquals(2, problems.get(0).line());
        assertTrue(
                problems.get(0).message().startsWith("'categroy' is not a template.yaml key"),
                problems.get(0).message());
        assertTrue(
                problems.get(1).message().contains("placement 'popover'"),
                problems.get(1).message());
        assertTrue(
                catalog.metadataProblem("tip").isEmpty(),
                "a placement fails only in-app messages, when they are rendered");
    }

    @Test
    void aReadableTemplateYamlIsNoProblem() throws IOException {
        write("mail/template.yaml", "description: \"Welcome: the first email\"\ncategory: onboarding\n");
        TemplateCatalog catalog = TestTemplates.catalog(dir);

        assertEquals(List.of(), catalog.problems());
        assertEquals("Welcome: the first email", catalog.metadata("mail").description());
    }

    @Test
    void anIncludeOfAFileOutsideTheTemplatesFolderSaysWhyAndWhere() throws IOException {
        write("mail/text.ftl", "Hi\n<#include \"/etc/passwd\">");
        TemplateFailure notThere = assertThrows(
                TemplateFailure.class, () -> TestTemplates.catalog(dir).renderEmail("mail", null, MODEL));
        assertEquals("mail/text.ftl", notThere.file());
        assertEquals(2, notThere.line());
        assertTrue(notThere.reason().contains("is not a file in the templates folder"), notThere.reason());
        assertTrue(
                !notThere.getMessage().contains(dir.toString()),
                "the server's folder is not shown: " + notThere.getMessage());

        write("mail/text.ftl", "Hi\n\n<#include \"../../etc/passwd\">");
        TemplateFailure outside = assertThrows(
                TemplateFailure.class, () -> TestTemplates.catalog(dir).renderEmail("mail", null, MODEL));
        assertEquals(3, outside.line());
        assertTrue(outside.reason().contains("templates folder"), outside.reason());
    }

    @Test
    void anIncludedFileThatDoesNotParseIsNamedWithItsOwnLine() throws IOException {
        write("partials/broken.ftl", "ok\nok\n${user.first_name");
        write("mail/text.ftl", "Hi\n<#include \"/partials/broken.ftl\">");
        TemplateFailure failure = assertThrows(
                TemplateFailure.class, () -> TestTemplates.catalog(dir).renderEmail("mail", null, MODEL));
        assertEquals("partials/broken.ftl", failure.file());
        assertEquals(3, failure.line());
    }

    private void write(String file, String content) throws IOException {
        TestTemplates.write(dir, file, content);
    }
}
