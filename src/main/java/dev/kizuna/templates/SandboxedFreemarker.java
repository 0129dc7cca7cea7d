package dev.kizuna.templates;

import freemarker.cache.ConditionalTemplateConfigurationFactory;
import freemarker.cache.FileNameGlobMatcher;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.FirstMatchTemplateConfigurationFactory;
import freemarker.core.TemplateClassResolver;
import freemarker.core.TemplateConfiguration;
import freemarker.core._CoreAPI;
import freemarker.template.Configuration;
import freemarker.template.SimpleObjectWrapper;
import freemarker.template.Template;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * FreeMarker set up for templates written by marketers: data is only plain maps, lists, strings,
 * numbers and booleans (no Java objects, so no method or class access), ?new and ?api are off,
 * and *.ftlh files escape HTML automatically (webhook and Slack bodies escape for JSON and Slack). Every loop checks whether its thread was
 * interrupted, so that {@link BoundedRendering} can stop one that would not end.
 */
final class SandboxedFreemarker {

    private SandboxedFreemarker() {}

    static Configuration forFolder(Path dir) throws IOException {
        Configuration configuration = new InterruptibleConfiguration();
        configuration.setTemplateLoader(new FileTemplateLoader(dir.toFile()));
        configuration.setDefaultEncoding(StandardCharsets.UTF_8.name());
        configuration.setOutputEncoding(StandardCharsets.UTF_8.name());
        configuration.setRecognizeStandardFileExtensions(true);
        configuration.setLocalizedLookup(true);
        configuration.setObjectWrapper(new SimpleObjectWrapper(Configuration.VERSION_2_3_34));
        configuration.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        configuration.setAPIBuiltinEnabled(false);
        configuration.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        configuration.setLogTemplateExceptions(false);
        configuration.setWrapUncheckedExceptions(true);
        configuration.setFallbackOnNullLoopVariable(false);
        configuration.setTemplateUpdateDelayMilliseconds(2000);
        configuration.setTemplateConfigurations(new FirstMatchTemplateConfigurationFactory(
                        new ConditionalTemplateConfigurationFactory(
                                new FileNameGlobMatcher("webhook*.ftl"), escapingTo(EscapingOutputFormat.JSON_STRING)),
                        new ConditionalTemplateConfigurationFactory(
                                new FileNameGlobMatcher("slack*.ftl"), escapingTo(EscapingOutputFormat.SLACK_TEXT)))
                .allowNoMatch(true));
        return configuration;
    }

    /** Values escaped for the format; numbers and booleans as a program reads them (12000, not 12,000), as JSON needs. */
    private static TemplateConfiguration escapingTo(EscapingOutputFormat format) {
        TemplateConfiguration configuration = new TemplateConfiguration();
        configuration.setOutputFormat(format);
        configuration.setAutoEscapingPolicy(Configuration.ENABLE_IF_SUPPORTED_AUTO_ESCAPING_POLICY);
        configuration.setNumberFormat("c");
        configuration.setBooleanFormat("c");
        return configuration;
    }

    /**
     * A loop that writes nothing (<#list 1..2000000000 as i></#list>) never reaches the output
     * writer, and FreeMarker has no setting to bound it; its thread-interruption checks are the
     * one mechanism that stops it. They are added to each template as it is first handed out,
     * here, because includes and imports are loaded through this same method.
     */
    private static final class InterruptibleConfiguration extends Configuration {

        private final Set<Template> withInterruptionChecks = Collections.newSetFromMap(new WeakHashMap<>());

        InterruptibleConfiguration() {
            super(Configuration.VERSION_2_3_34);
        }

        @Override
        public Template getTemplate(
                String name,
                Locale locale,
                Object customLookupCondition,
                String encoding,
                boolean parseAsFTL,
                boolean ignoreMissing)
                throws IOException {
            Template template =
                    super.getTemplate(name, locale, customLookupCondition, encoding, parseAsFTL, ignoreMissing);
            if (template != null) {
                addInterruptionChecks(template);
            }
            return template;
        }

        /** Once per template: the cache hands the same instance to every caller until the file changes. */
        private void addInterruptionChecks(Template template) {
            synchronized (withInterruptionChecks) {
                if (withInterruptionChecks.add(template)) {
                    _CoreAPI.addThreadInterruptedChecks(template);
                }
            }
        }
    }
}
