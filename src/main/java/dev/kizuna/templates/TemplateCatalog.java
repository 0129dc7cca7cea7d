package dev.kizuna.templates;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kizuna.common.Durations;
import dev.kizuna.common.YamlLines;
import dev.kizuna.delivery.email.MailConfig;
import dev.kizuna.delivery.inapp.NudgePlacement;
import dev.kizuna.delivery.inapp.RenderedNudge;
import dev.kizuna.messages.Channel;
import dev.kizuna.problem.Problem.Violation;
import freemarker.core.InvalidReferenceException;
import freemarker.core.ParseException;
import freemarker.template.Configuration;
import freemarker.template.MalformedTemplateNameException;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateNotFoundException;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The templates folder: one folder a template (see templates/README.md), rendered with a
 * sandboxed FreeMarker. Locale variants use FreeMarker's lookup: subject_ja.ftl before subject.ftl.
 */
@Startup
@ApplicationScoped
public class TemplateCatalog {

    private static final Logger LOG = Logger.getLogger(TemplateCatalog.class);
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static final String SUBJECT = "subject.ftl";
    static final String HTML = "html.ftlh";
    static final String TEXT = "text.ftl";
    static final String NUDGE_TITLE = "nudge-title.ftl";
    static final String NUDGE_BODY = "nudge-body.ftl";
    static final String NUDGE_CTA = "nudge-cta.ftl";
    static final String WEBHOOK_BODY = "webhook.ftl";
    static final String SLACK_TEXT = "slack.ftl";
    static final String METADATA = "template.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METADATA_KEYS =
            List.of("description", "category", "from", "cta_url", "placement", "expires_after", "sender");

    private final TemplatesConfig config;
    private final MailConfig mail;
    private Configuration freemarker;
    private BoundedRendering rendering;
    private volatile List<Violation> problems = List.of();
    private final Map<String, MetadataRead> metadataByTemplate = new ConcurrentHashMap<>();

    TemplateCatalog(TemplatesConfig config, MailConfig mail) {
        this.config = config;
        this.mail = mail;
    }

    @PostConstruct
    void open() {
        rendering = new BoundedRendering(config.maxOutput(), config.renderTimeout());
        try {
            freemarker = SandboxedFreemarker.forFolder(config.dir());
        } catch (IOException e) {
            LOG.errorf("templates folder %s cannot be opened: %s", config.dir(), e.getMessage());
        }
        check();
    }

    @PreDestroy
    void close() {
        rendering.close();
    }

    /** Parses every template file and records those that do not parse, with file and line. */
    public List<Violation> check() {
        List<Violation> found = new ArrayList<>();
        Path dir = config.dir();
        if (freemarker == null || !Files.isDirectory(dir)) {
            found.add(Violation.inFile(dir.toString(), null, "the templates folder does not exist"));
        } else {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted().forEach(path -> {
                    if (path.toString().matches(".+\\.ftlh?")) {
                        parse(dir, path, found);
                    } else if (isMetadataFile(dir, path)) {
                        metadataViolation(path.getParent().getFileName().toString(), true)
                                .ifPresent(found::add);
                    }
                });
            } catch (IOException e) {
                found.add(Violation.inFile(dir.toString(), null, "cannot be read: " + e.getMessage()));
            }
        }
        found.forEach(
                problem -> LOG.warnf("template %s line %s: %s", problem.file(), problem.line(), problem.message()));
        problems = List.copyOf(found);
        return problems;
    }

    private void parse(Path dir, Path path, List<Violation> found) {
        String name = dir.relativize(path).toString().replace('\\', '/');
        try {
            new Template(name, new StringReader(Files.readString(path, StandardCharsets.UTF_8)), freemarker);
        } catch (ParseException e) {
            found.add(Violation.inFile(name, e.getLineNumber(), e.getEditorMessage()));
        } catch (IOException e) {
            found.add(Violation.inFile(name, null, "cannot be read: " + e.getMessage()));
        }
    }

    public List<Violation> problems() {
        return problems;
    }

    /** A template folder and the channels it can serve. */
    public record TemplateSummary(String id, List<String> channels, String description) {}

    public List<TemplateSummary> summaries() {
        Path dir = config.dir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(dir)) {
            return folders.filter(Files::isDirectory)
                    .map(folder -> folder.getFileName().toString())
                    .sorted()
                    .map(id -> new TemplateSummary(
                            id,
                            Stream.of(Channel.values())
                                    .filter(channel -> exists(id, channel))
                                    .map(Channel::wireName)
                                    .toList(),
                            describe(id)))
                    .filter(summary -> !summary.channels().isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("templates folder cannot be listed", e);
        }
    }

    private String describe(String templateId) {
        try {
            return metadata(templateId).description();
        } catch (TemplateFailure unreadable) {
            return null;
        }
    }

    /** Whether a template folder has the files a channel needs. */
    public boolean exists(String templateId, Channel channel) {
        Path folder = folderOf(templateId);
        if (folder == null) {
            return false;
        }
        List<String> needed = switch (channel) {
            case EMAIL, CSM -> List.of(SUBJECT, HTML, TEXT);
            case INAPP -> List.of(NUDGE_TITLE, NUDGE_BODY);
            case WEBHOOK -> List.of(WEBHOOK_BODY);
            case SLACK -> List.of(SLACK_TEXT);
        };
        return needed.stream().allMatch(file -> Files.isRegularFile(folder.resolve(file)));
    }

    public RenderedEmail renderEmail(String templateId, String locale, Map<String, Object> model) {
        return renderEmail(templateId, locale, List.of(), model);
    }

    /**
     * Renders an email for a recipient in these segments (in segments.yaml order): each part
     * comes from the first segment's variant folder that has it ({@code welcome/low-touch/html.ftlh}),
     * else from the template folder; within either, the locale's file before the default one.
     */
    public RenderedEmail renderEmail(
            String templateId, String locale, List<String> segments, Map<String, Object> recipientModel) {
        Locale chosen = localeOf(locale);
        Map<String, Object> model = new java.util.LinkedHashMap<>(recipientModel);
        model.put("sender", sender(templateId, chosen));
        return new RenderedEmail(
                render(variant(templateId, SUBJECT, segments), chosen, model).strip(),
                render(variant(templateId, HTML, segments), chosen, model),
                render(variant(templateId, TEXT, segments), chosen, model),
                chosen.toLanguageTag(),
                segmentVariant(templateId, segments, SUBJECT, HTML, TEXT));
    }

    /**
     * Who sends the template's email, in the locale's words: the template.yaml's {@code sender},
     * else the configured sender for the locale's language, else the configured default, key by
     * key (name, postal_address, contact); a key none of them gives is absent.
     */
    public Map<String, String> sender(String templateId, Locale locale) {
        MailConfig.Sender configured = mail.sender();
        MailConfig.LocalSender local = configured.locales().get(locale.getLanguage());
        TemplateMetadata.Sender own = metadata(templateId).sender();
        Map<String, String> sender = new java.util.LinkedHashMap<>();
        putFirst(
                sender,
                "name",
                own == null ? null : own.name(),
                local == null ? null : local.name().orElse(null),
                configured.name().orElse(null));
        putFirst(
                sender,
                "postal_address",
                own == null ? null : own.postalAddress(),
                local == null ? null : local.postalAddress().orElse(null),
                configured.postalAddress().orElse(null));
        putFirst(
                sender,
                "contact",
                own == null ? null : own.contact(),
                local == null ? null : local.contact().orElse(null),
                configured.contact().orElse(null));
        return sender;
    }

    private static void putFirst(Map<String, String> sender, String key, String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                sender.put(key, candidate.strip());
                return;
            }
        }
    }

    /** The first of the segments with a variant of any of these parts: the variant a message is counted under. */
    private String segmentVariant(String templateId, List<String> segments, String... parts) {
        for (String part : parts) {
            String chosen = variant(templateId, part, segments);
            if (!chosen.equals(templateId + "/" + part)) {
                return chosen.substring(templateId.length() + 1, chosen.length() - part.length() - 1);
            }
        }
        return null;
    }

    /**
     * The body of a webhook (webhook.ftl, JSON with every value escaped for a JSON string; a body
     * that is not JSON fails with the line) or of a Slack message (slack.ftl, Slack's text, sent
     * as {"text": ...}), chosen by segment and locale as for email.
     */
    public RenderedPost renderPost(
            Channel channel, String templateId, String locale, List<String> segments, Map<String, Object> model) {
        Locale chosen = localeOf(locale);
        String file = channel == Channel.WEBHOOK ? WEBHOOK_BODY : SLACK_TEXT;
        String name = variant(templateId, file, segments);
        String rendered = render(name, chosen, model);
        String body;
        try {
            if (channel == Channel.WEBHOOK) {
                JSON.readTree(rendered);
                body = rendered.strip();
            } else {
                body = JSON.writeValueAsString(Map.of("text", rendered.strip()));
            }
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null || e.getLocation().getLineNr() < 0
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + " of the output";
            throw new TemplateFailure(
                    name,
                    null,
                    "the rendered body is not JSON" + where + ": " + e.getOriginalMessage()
                            + " (put each value in quotes, \"${value}\", or write numbers and booleans bare)",
                    e);
        }
        return new RenderedPost(body, chosen.toLanguageTag(), segmentVariant(templateId, segments, file));
    }

    public RenderedNudge renderNudge(String templateId, String locale, Map<String, Object> model) {
        return renderNudge(templateId, locale, List.of(), model);
    }

    /** The template file to use for a part: the first segment variant that exists, else the template's own. */
    private String variant(String templateId, String part, List<String> segments) {
        Path folder = folderOf(templateId);
        if (folder != null) {
            for (String segment : segments) {
                if (segment.matches("[a-z0-9][a-z0-9_-]*")
                        && Files.isRegularFile(folder.resolve(segment).resolve(part))) {
                    return templateId + "/" + segment + "/" + part;
                }
            }
        }
        return templateId + "/" + part;
    }

    public RenderedNudge renderNudge(
            String templateId, String locale, List<String> segments, Map<String, Object> model) {
        Locale chosen = localeOf(locale);
        Path folder = folderOf(templateId);
        if (folder == null) {
            throw new TemplateFailure("'" + templateId + "' is not a template name", null);
        }
        TemplateMetadata metadata = metadata(templateId);
        NudgePlacement placement = placementOf(templateId, metadata);
        Duration expiresAfter = expiryOf(templateId, metadata);
        boolean hasCta = Files.isRegularFile(folder.resolve(NUDGE_CTA));
        return new RenderedNudge(
                render(variant(templateId, NUDGE_TITLE, segments), chosen, model)
                        .strip(),
                render(variant(templateId, NUDGE_BODY, segments), chosen, model).strip(),
                hasCta
                        ? render(variant(templateId, NUDGE_CTA, segments), chosen, model)
                                .strip()
                        : null,
                metadata.ctaUrl(),
                placement,
                expiresAfter,
                chosen.toLanguageTag(),
                segmentVariant(templateId, segments, NUDGE_TITLE, NUDGE_BODY, NUDGE_CTA));
    }

    /** The template's placement; a value the script could not show fails the message instead of guessing. */
    private static NudgePlacement placementOf(String templateId, TemplateMetadata metadata) {
        if (metadata.placement() == null || metadata.placement().isBlank()) {
            return NudgePlacement.DEFAULT;
        }
        return NudgePlacement.fromWireName(metadata.placement().strip())
                .orElseThrow(() -> new TemplateFailure(
                        templateId + "/" + METADATA,
                        null,
                        "placement '" + metadata.placement() + "' is not one of " + NudgePlacement.choices(),
                        null));
    }

    /** How long the nudge stays in the inbox; null (no expires_after) means until the user acts on it. */
    private static Duration expiryOf(String templateId, TemplateMetadata metadata) {
        if (metadata.expiresAfter() == null || metadata.expiresAfter().isBlank()) {
            return null;
        }
        try {
            return Durations.parse(metadata.expiresAfter());
        } catch (IllegalArgumentException e) {
            throw new TemplateFailure(templateId + "/" + METADATA, null, "expires_after " + e.getMessage(), e);
        }
    }

    private String render(String name, Locale locale, Map<String, Object> model) {
        try {
            Template template = freemarker.getTemplate(name, locale);
            return rendering.render(template, model);
        } catch (TemplateNotFoundException e) {
            throw new TemplateFailure(name, null, "the template file does not exist", e);
        } catch (ParseException e) {
            throw new TemplateFailure(e.getTemplateName(), e.getLineNumber(), e.getEditorMessage(), e);
        } catch (InvalidReferenceException e) {
            throw new TemplateFailure(
                    e.getTemplateSourceName(),
                    e.getLineNumber(),
                    "${" + e.getBlamedExpressionString() + "} is missing for this recipient; give a default, e.g. ${"
                            + e.getBlamedExpressionString() + "!\"\"}",
                    e);
        } catch (TemplateException e) {
            if (e.getCause() instanceof ParseException included) {
                // An included or imported file that does not parse: its own file and line say where.
                throw new TemplateFailure(
                        included.getTemplateName(), included.getLineNumber(), included.getEditorMessage(), e);
            }
            throw new TemplateFailure(e.getTemplateSourceName(), e.getLineNumber(), reasonOf(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException("template " + name + " cannot be read", e);
        }
    }

    /**
     * FreeMarker's first line, completed for includes and imports whose file cannot be loaded:
     * their reason comes on later lines, with the server's folder, which is not for the marketer.
     */
    private static String reasonOf(TemplateException e) {
        String reason = firstLine(e.getMessageWithoutStackTop());
        if (e.getCause() instanceof TemplateNotFoundException missing) {
            return reason.replaceFirst(":$", "") + ": '" + missing.getTemplateName()
                    + "' is not a file in the templates folder"
                    + " (includes and imports are looked up there, from the template's own folder or from the folder's root with a"
                    + " leading /, and cannot reach files outside it)";
        }
        if (e.getCause() instanceof MalformedTemplateNameException outside) {
            return reason.replaceFirst(":$", "") + ": '" + outside.getTemplateName()
                    + "' leads outside the templates folder (" + outside.getMalformednessDescription() + ")";
        }
        return reason;
    }

    /** A template's metadata, read again only when its file changed: it is needed for every message. */
    public TemplateMetadata metadata(String templateId) {
        Path file = config.dir().resolve(templateId).resolve(METADATA);
        String name = templateId + "/" + METADATA;
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            metadataByTemplate.remove(templateId);
            return TemplateMetadata.NONE;
        } catch (IOException e) {
            throw new TemplateFailure(name, null, "cannot be read: " + e.getMessage(), e);
        }
        MetadataRead known = metadataByTemplate.get(templateId);
        if (known != null && known.modified().equals(modified)) {
            return known.metadata();
        }
        try {
            TemplateMetadata metadata = YAML.readValue(file.toFile(), TemplateMetadata.class);
            metadataByTemplate.put(templateId, new MetadataRead(metadata, modified));
            return metadata;
        } catch (JsonProcessingException e) {
            throw new TemplateFailure(name, lineOf(e, file), unreadableMetadata(e), e);
        } catch (IOException e) {
            throw new TemplateFailure(name, null, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Why this template's template.yaml cannot be read, which would fail every message of the template, if it cannot. */
    public Optional<String> metadataProblem(String templateId) {
        return metadataViolation(templateId, false)
                .map(problem -> problem.file() + (problem.line() == null ? "" : " line " + problem.line()) + ": "
                        + problem.message());
    }

    /** The template.yaml's problem: it does not parse, or (with {@code inapp}) its placement or expires_after cannot be used. */
    private Optional<Violation> metadataViolation(String templateId, boolean inapp) {
        try {
            TemplateMetadata metadata = metadata(templateId);
            if (inapp) {
                placementOf(templateId, metadata);
                expiryOf(templateId, metadata);
            }
            return Optional.empty();
        } catch (TemplateFailure failure) {
            return Optional.of(Violation.inFile(failure.file(), failure.line(), failure.reason()));
        }
    }

    /** The line of an unknown key is where the key is; for a file that does not parse, where the parser stopped. */
    private static Integer lineOf(JsonProcessingException e, Path file) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            try {
                return YamlLines.of(Files.readString(file, StandardCharsets.UTF_8))
                        .lineOf("/" + unknown.getPropertyName());
            } catch (IOException unreadable) {
                return null;
            }
        }
        return e.getLocation() == null || e.getLocation().getLineNr() < 1
                ? null
                : e.getLocation().getLineNr();
    }

    private static String unreadableMetadata(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "'" + unknown.getPropertyName() + "' is not a template.yaml key; the keys are " + METADATA_KEYS;
        }
        String reason = firstLine(e.getOriginalMessage());
        // The usual cause: an unquoted value with a colon, which YAML reads as a second key.
        return reason.contains("mapping values are not allowed")
                ? reason + ": quote a value that holds a colon, e.g. description: \"Welcome: the first email\""
                : reason;
    }

    private static boolean isMetadataFile(Path dir, Path path) {
        return path.getFileName().toString().equals(METADATA)
                && dir.equals(path.getParent().getParent());
    }

    private record MetadataRead(TemplateMetadata metadata, FileTime modified) {}

    /** The template's folder, or null for an id that is not a plain folder name inside the templates folder. */
    private Path folderOf(String templateId) {
        if (templateId == null || !templateId.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            return null;
        }
        return config.dir().resolve(templateId);
    }

    private Locale localeOf(String locale) {
        String tag = locale == null || locale.isBlank() ? config.defaultLocale() : locale.replace('_', '-');
        return Locale.forLanguageTag(tag);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
