package dev.kizuna.benchmark.micro;

import dev.kizuna.templates.RenderedEmail;
import dev.kizuna.templates.TemplateCatalog;
import dev.kizuna.templates.TemplateModel;
import dev.kizuna.templates.TestTemplates;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The sample welcome email (subject, HTML with its layout and partials, text) rendered for one recipient. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TemplateMicrobenchmark {

    private TemplateCatalog templates;
    private Map<String, Object> model;

    @Setup
    public void open() {
        templates = TestTemplates.catalog(
                Path.of(System.getProperty("benchmark.templates", "templates")).toAbsolutePath());
        if (!templates.problems().isEmpty()) {
            throw new IllegalStateException("the sample templates have problems: " + templates.problems());
        }
        model = TemplateModel.of(SampleRecipient.ACCOUNT, SampleRecipient.USER, null, Map.of());
        model.put("unsubscribe_url", "https://kizuna.example/t/u/benchmark");
    }

    @Benchmark
    public RenderedEmail renderWelcomeEmail() {
        return templates.renderEmail("welcome", "en", List.of("trial", "tech-touch"), model);
    }

    @Benchmark
    public RenderedEmail renderWelcomeEmailInJapanese() {
        return templates.renderEmail("welcome", "ja", List.of("trial", "tech-touch"), model);
    }
}
