package dev.kizuna.templates;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.messages.Channel;
import dev.kizuna.problem.Problem.Violation;
import dev.kizuna.tracking.LinksConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks the email of every commercial template (its category is neither transactional nor
 * internal) against Japan's 特定電子メール法 before anything is sent: each is rendered for an
 * example recipient in the default locale and in every locale the folder has files for, and what
 * the email lacks is a problem of the template, with its file.
 */
@ApplicationScoped
public class CommercialEmailReview {

    /** A locale suffix of a template file: subject_ja.ftl, footer_pt-BR.ftlh. */
    private static final Pattern LOCALE_SUFFIX = Pattern.compile("_([a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)\\.ftlh?$");

    private final TemplateCatalog templates;
    private final TemplatesConfig config;
    private final ComplianceConfig compliance;
    private final LinksConfig links;

    CommercialEmailReview(
            TemplateCatalog templates, TemplatesConfig config, ComplianceConfig compliance, LinksConfig links) {
        this.templates = templates;
        this.config = config;
        this.compliance = compliance;
        this.links = links;
    }

    /** The unsubscribe link an example renders with: it stands for no message. */
    String exampleUnsubscribeUrl() {
        return links.baseUrl().replaceAll("/+$", "") + "/t/u/preview";
    }

    /** What the email lacks, for people; empty when it has every item; null when the check is off or the email is not commercial. */
    public List<String> missing(String templateId, RenderedEmail email, String unsubscribeUrl) {
        Result checked = check(templateId, email, unsubscribeUrl);
        return checked == null
                ? null
                : checked.missing().stream()
                        .map(CommercialEmailCheck.Item::describe)
                        .toList();
    }

    /**
     * The check of an email being decided: the items it lacks, and whether that stops it. Null when
     * the check is off or the email is not commercial.
     */
    public Result check(String templateId, RenderedEmail email, String unsubscribeUrl) {
        if (compliance.jp() == ComplianceConfig.Mode.OFF || !isCommercial(templateId)) {
            return null;
        }
        return new Result(lacking(templateId, email, unsubscribeUrl), compliance.jp() == ComplianceConfig.Mode.ENFORCE);
    }

    /** What the check found in one email, and whether the law is enforced. */
    public record Result(List<CommercialEmailCheck.Item> missing, boolean enforced) {

        /** The codes of the items missing, comma-separated, as the message records them; empty when none is. */
        public String codes() {
            return missing.stream().map(CommercialEmailCheck.Item::code).collect(Collectors.joining(","));
        }

        /** Why the email must not go out: the items it lacks, named, when the law is enforced; none otherwise. */
        public Optional<String> refusal() {
            return !enforced || missing.isEmpty()
                    ? Optional.empty()
                    : Optional.of(CommercialEmailCheck.describe(missing) + " (kizuna.compliance.jp=enforce)");
        }
    }

    /**
     * The problems of every commercial email template, one per template and locale that lacks an
     * item; and of every template of an opt-in category that does not ask for consent itself.
     */
    public List<Violation> problems() {
        List<Violation> problems = new ArrayList<>(optInDisagreements());
        if (compliance.jp() == ComplianceConfig.Mode.OFF) {
            return problems;
        }
        for (TemplateCatalog.TemplateSummary template : templates.summaries()) {
            if (!template.channels().contains(Channel.EMAIL.wireName()) || !isCommercial(template.id())) {
                continue;
            }
            for (String locale : locales()) {
                RenderedEmail email;
                try {
                    email = templates.renderEmail(template.id(), locale, List.of(), exampleModel());
                } catch (TemplateFailure failure) {
                    continue; // a template that does not render is reported by previews and at send, with its line
                }
                List<CommercialEmailCheck.Item> missing = lacking(template.id(), email, exampleUnsubscribeUrl());
                if (!missing.isEmpty()) {
                    problems.add(Violation.inFile(
                            template.id() + "/" + TemplateCatalog.HTML,
                            null,
                            "in locale " + email.locale() + ": " + CommercialEmailCheck.describe(missing)));
                }
            }
        }
        return problems;
    }

    /**
     * Templates of a category that another template says needs opt-in, which do not say so
     * themselves: their emails would reach users who never consented to the category.
     */
    private List<Violation> optInDisagreements() {
        Map<String, List<String>> optIn = new TreeMap<>();
        Map<String, List<String>> notOptIn = new TreeMap<>();
        for (TemplateCatalog.TemplateSummary template : templates.summaries()) {
            if (!template.channels().contains(Channel.EMAIL.wireName())) {
                continue;
            }
            TemplateMetadata metadata;
            try {
                metadata = templates.metadata(template.id());
            } catch (TemplateFailure unreadable) {
                continue; // its template.yaml's own problem is reported
            }
            (metadata.requiresConsent() ? optIn : notOptIn)
                    .computeIfAbsent(metadata.categoryOrDefault(), none -> new ArrayList<>())
                    .add(template.id());
        }
        List<Violation> problems = new ArrayList<>();
        optIn.forEach(
                (category, asking) -> notOptIn.getOrDefault(category, List.of())
                        .forEach(
                                id -> problems.add(
                                        Violation.inFile(
                                                id + "/template.yaml",
                                                null,
                                                "category '" + category + "' needs opt-in (opt_in: true in "
                                                        + String.join(", ", asking)
                                                        + "), but this template does not ask for it: its emails would reach users who never consented; add opt_in: true"))));
        return problems;
    }

    /** The items the email lacks, against the sender the template had in the email's locale. */
    private List<CommercialEmailCheck.Item> lacking(String templateId, RenderedEmail email, String unsubscribeUrl) {
        return CommercialEmailCheck.missing(
                email, templates.sender(templateId, Locale.forLanguageTag(email.locale())), unsubscribeUrl);
    }

    private boolean isCommercial(String templateId) {
        try {
            return templates.metadata(templateId).commercial();
        } catch (TemplateFailure unreadable) {
            return false; // its template.yaml's own problem is reported
        }
    }

    /** The default locale and each locale some file of the folder is written for. */
    private List<String> locales() {
        TreeSet<String> locales = new TreeSet<>();
        locales.add(config.defaultLocale());
        Path dir = config.dir();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.forEach(file -> {
                    Matcher suffix = LOCALE_SUFFIX.matcher(file.getFileName().toString());
                    if (suffix.find()) {
                        locales.add(suffix.group(1).replace('_', '-'));
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("templates folder cannot be listed", e);
            }
        }
        return List.copyOf(locales);
    }

    /** An example recipient with a name, an address and an account, as most templates expect. */
    private Map<String, Object> exampleModel() {
        Instant now = Instant.now();
        UserSnapshot user = new UserSnapshot(
                "example-user",
                "user@example.com",
                "Example User",
                null,
                null,
                Map.of("firstName", "Example"),
                now,
                List.of("example-account"),
                Map.of());
        AccountSnapshot account = new AccountSnapshot(
                "example-account",
                "Example Co",
                "trial",
                null,
                null,
                now,
                null,
                null,
                null,
                Map.of("name", "Example Co"),
                now,
                List.of("example-user"),
                Map.of(),
                AccountSnapshot.Profile.EMPTY);
        Map<String, Object> model = new java.util.LinkedHashMap<>(TemplateModel.of(account, user, null, Map.of()));
        model.put("unsubscribe_url", exampleUnsubscribeUrl());
        return model;
    }
}
