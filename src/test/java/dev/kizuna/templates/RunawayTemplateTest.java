package dev.kizuna.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A template that would write or loop without end fails its render quickly, with file and line, and the catalog keeps working. */
class RunawayTemplateTest {

    private static final Map<String, Object> MODEL = Map.of("user", Map.of("id", "u1", "first_name", "Ada"));
    private static final Duration QUICKLY = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @BeforeEach
    void emailTemplate() throws IOException {
        TestTemplates.greetingEmail(dir, "mail");
    }

    @Test
    void aLoopThatWritesWithoutEndStopsAtTheOutputLimit() throws IOException {
        write("mail/text.ftl", "Hi\n<#list 1..2000000000 as i>${i}</#list>");
        TemplateCatalog catalog = TestTemplates.catalog(dir, 100_000, Duration.ofSeconds(30));

        TemplateFailure failure = assertTimeoutPreemptively(
                QUICKLY, () -> assertThrows(TemplateFailure.class, () -> catalog.renderEmail("mail", null, MODEL)));

        assertEquals("mail/text.ftl", failure.file());
        assertEquals(2, failure.line());
        assertTrue(failure.reason().contains("100000 characters (kizuna.templates.max-output)"), failure.reason());
        assertEquals("Hi Ada", renderedTextAfterFixing(catalog));
    }

    @Test
    void aLoopThatWritesNothingIsStoppedAtTheDeadline() throws IOException {
        write("mail/text.ftl", "Hi\n\n<#list 1..2000000000 as i></#list>");
        TemplateCatalog catalog = TestTemplates.catalog(dir, 100_000, Duration.ofMillis(500));

        TemplateFailure failure = assertTimeoutPreemptively(QUICKLY, () -> {
            TemplateFailure thrown =
                    assertThrows(TemplateFailure.class, () -> catalog.renderEmail("mail", null, MODEL));
            // The loop is stopped by interrupting the rendering thread, which is the caller's: it must not stay
            // interrupted.
            assertFalse(Thread.currentThread().isInterrupted(), "the caller's thread is left interrupted");
            return thrown;
        });

        assertEquals("mail/text.ftl", failure.file());
        assertEquals(3, failure.line());
        assertTrue(failure.reason().contains("longer than 500 ms (kizuna.templates.render-timeout)"), failure.reason());
        assertEquals("Hi Ada", renderedTextAfterFixing(catalog));
    }

    @Test
    void aLoopInAnIncludedFileIsStoppedTooAndNamesThatFile() throws IOException {
        write("partials/spin.ftl", "<#-- spins -->\n<#list 1..2000000000 as i></#list>");
        write("mail/text.ftl", "Hi\n<#include \"/partials/spin.ftl\">");
        TemplateCatalog catalog = TestTemplates.catalog(dir, 100_000, Duration.ofMillis(500));

        TemplateFailure failure = assertTimeoutPreemptively(
                QUICKLY, () -> assertThrows(TemplateFailure.class, () -> catalog.renderEmail("mail", null, MODEL)));

        assertEquals("partials/spin.ftl", failure.file());
        assertEquals(2, failure.line());
        assertTrue(failure.reason().contains("kizuna.templates.render-timeout"), failure.reason());
    }

    @Test
    void macrosThatCallThemselvesWithoutEndFailTheRenderNotTheServer() throws IOException {
        write("mail/text.ftl", "<#macro again><@again/></#macro>\n<@again/>");
        TemplateCatalog catalog = TestTemplates.catalog(dir, 100_000, Duration.ofSeconds(30));

        TemplateFailure failure = assertTimeoutPreemptively(
                QUICKLY, () -> assertThrows(TemplateFailure.class, () -> catalog.renderEmail("mail", null, MODEL)));

        assertEquals("mail/text.ftl", failure.file());
    }

    /** The same catalog renders the file again once it is fixed: nothing stays stuck. */
    private String renderedTextAfterFixing(TemplateCatalog catalog) throws IOException {
        write("mail/text.ftl", "Hi ${user.first_name}");
        // FreeMarker checks a changed file after its update delay; a fresh name is read at once.
        write("mail2/subject.ftl", "Hello");
        write("mail2/html.ftlh", "<p>Hi</p>");
        write("mail2/text.ftl", "Hi ${user.first_name}");
        return catalog.renderEmail("mail2", null, MODEL).text();
    }

    private void write(String file, String content) throws IOException {
        TestTemplates.write(dir, file, content);
    }
}
