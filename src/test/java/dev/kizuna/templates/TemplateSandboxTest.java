package dev.kizuna.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.messages.Channel;
import dev.kizuna.problem.Problem.Violation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateSandboxTest {

    @TempDir
    Path dir;

    private static final Map<String, Object> MODEL = Map.of(
            "user", Map.of("id", "u1", "first_name", "<script>alert(1)</script>"),
            "account", Map.of("id", "a1", "traits", Map.of("name", "Tom & Jerry")));

    @BeforeEach
    void emailTemplate() throws IOException {
        write("mail/subject.ftl", "Hello ${user.first_name}");
        write("mail/text.ftl", "Hi ${user.first_name} of ${account.traits.name}");
        write("mail/html.ftlh", "<p>Hi ${user.first_name} of ${account.traits.name}</p>");
    }

    @Test
    void htmlIsEscapedAutomaticallyAndTextIsNot() {
        RenderedEmail email = TestTemplates.catalog(dir).renderEmail("mail", null, MODEL);
        assertEquals("<p>Hi &lt;script&gt;alert(1)&lt;/script&gt; of Tom &amp; Jerry</p>", email.html());
        assertEquals("Hi <script>alert(1)</script> of Tom & Jerry", email.text());
    }

    @Test
    void newBuiltInCannotCreateObjects() throws IOException {
        write("mail/text.ftl", "<#assign ex = \"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}");
        TemplateFailure failure = assertThrows(
                TemplateFailure.class, () -> TestTemplates.catalog(dir).renderEmail("mail", null, MODEL));
        assertTrue(failure.getMessage().startsWith("mail/text.ftl line 1"), failure.getMessage());
    }

    @Test
    void apiBuiltInIsOff() throws IOException {
        write("mail/text.ftl", "${account.traits?api.getClass()}");
        assertThrows(TemplateFailure.class, () -> TestTemplates.catalog(dir).renderEmail("mail", null, MODEL));
    }

    @Test
    void javaObjectsAreNeverExposedSoClassesCannotBeReached() throws IOException {
        write("mail/text.ftl", "${user.getClass().getName()}");
        assertThrows(TemplateFailure.class, () -> TestTemplates.catalog(dir).renderEmail("mail", null, MODEL));
        write("mail/text.ftl", "${statics['java.lang.System'].exit(1)}");
        assertThrows(TemplateFailure.class, () -> TestTemplates.catalog(dir).renderEmail("mail", null, MODEL));
    }

    @Test
    void aMissingVariableFailsTheRenderWithFileAndLineInsteadOfABlank() throws IOException {
        write("mail/text.ftl", "Hi\n${user.last_name}");
        TemplateFailure failure = assertThrows(
                TemplateFailure.class, () -> TestTemplates.catalog(dir).renderEmail("mail", null, MODEL));
        assertTrue(failure.getMessage().startsWith("mail/text.ftl line 2"), failure.getMessage());
    }

    @Test
    void aBrokenTemplateIsReportedWithItsFileAndLineAndTheOthersStillRender() throws IOException {
        write("broken/subject.ftl", "ok\n<#if user.id>never closed");
        TemplateCatalog catalog = TestTemplates.catalog(dir);
        List<Violation> problems = catalog.problems();
        assertEquals(1, problems.size(), problems::toString);
        assertEquals("broken/subject.ftl", problems.get(0).file());
        assertEquals(2, problems.get(0).line());
        assertEquals(
                "Hello <script>alert(1)</script>",
                catalog.renderEmail("mail", null, MODEL).subject());
    }

    @Test
    void localeVariantsFallBackToTheDefaultFile() throws IOException {
        write("mail/subject_ja.ftl", "こんにちは ${user.first_name}");
        TemplateCatalog catalog = TestTemplates.catalog(dir);
        assertTrue(catalog.renderEmail("mail", "ja-JP", MODEL).subject().startsWith("こんにちは"));
        assertTrue(catalog.renderEmail("mail", "fr", MODEL).subject().startsWith("Hello"));
    }

    @Test
    void aChannelExistsOnlyWithAllItsParts() {
        TemplateCatalog catalog = TestTemplates.catalog(dir);
        assertTrue(catalog.exists("mail", Channel.EMAIL));
        assertFalse(catalog.exists("mail", Channel.INAPP));
        assertFalse(catalog.exists("../mail", Channel.EMAIL), "a template id cannot leave the templates folder");
    }

    private void write(String file, String content) throws IOException {
        TestTemplates.write(dir, file, content);
    }
}
