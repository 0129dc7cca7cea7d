package dev.kizuna.rules;

import dev.kizuna.common.RulesConfig;
import dev.kizuna.delivery.WebhookTargets;
import dev.kizuna.problem.Problem.Violation;
import dev.kizuna.segments.ProfileCatalog;
import dev.kizuna.templates.TemplateCatalog;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The rules in force, read from the rules folder. A file that fails validation is reported and
 * never replaces the last good version of the same file.
 */
@Startup
@ApplicationScoped
public class RuleCatalog {

    private static final Logger LOG = Logger.getLogger(RuleCatalog.class);

    /** Files in the rules folder that hold shared definitions, not rules. */
    private static final List<String> NOT_RULES = List.of("segments.yaml", "activation.yaml", "health.yaml");

    private final RulesConfig config;
    private final TemplateCatalog templates;
    private final ProfileCatalog profiles;
    private final WebhookTargets webhooks;
    private final List<java.util.function.Consumer<Snapshot>> reloadListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile Snapshot snapshot = new Snapshot(Map.of(), List.of());

    RuleCatalog(RulesConfig config, TemplateCatalog templates, ProfileCatalog profiles, WebhookTargets webhooks) {
        this.config = config;
        this.webhooks = webhooks;
        this.templates = templates;
        this.profiles = profiles;
    }

    /** Called after every reload with the rules in force, e.g. to keep Quartz schedules in step. */
    public void onReload(java.util.function.Consumer<Snapshot> listener) {
        reloadListeners.add(listener);
    }

    /** The rules in force and the problems of the last load. */
    public record Snapshot(Map<String, Rule> rules, List<Violation> problems) {}

    @PostConstruct
    void loadAtStartup() {
        reload();
    }

    public Snapshot current() {
        return snapshot;
    }

    public Collection<Rule> rules() {
        return snapshot.rules().values();
    }

    /** Rules whose trigger is this event. */
    public List<Rule> triggeredBy(String event) {
        return ofKind(Rule.TriggerKind.EVENT).stream()
                .filter(rule -> event.equals(rule.watchedEvent()))
                .toList();
    }

    /** "After" and inactivity rules that start or restart their clock when this event happens. */
    public List<Rule> timedFrom(String event) {
        return snapshot.rules().values().stream()
                .filter(rule -> rule.triggerKind() == Rule.TriggerKind.AFTER
                        || rule.triggerKind() == Rule.TriggerKind.INACTIVITY)
                .filter(rule -> event.equals(rule.watchedEvent()))
                .toList();
    }

    /** Rules fired by entering ({@code entered} true) or leaving a segment. */
    public List<Rule> onSegment(String segment, boolean entered) {
        return ofKind(Rule.TriggerKind.SEGMENT).stream()
                .filter(rule -> segment.equals(
                        entered
                                ? rule.definition().trigger().segment().enter()
                                : rule.definition().trigger().segment().exit()))
                .toList();
    }

    /** The events that are some rule's goal: when one happens, attribution looks at the account's messages again. */
    public java.util.Set<String> goalEvents() {
        return snapshot.rules().values().stream()
                .map(Rule::goal)
                .filter(goal -> goal != null && goal.event() != null)
                .map(RuleDefinition.Goal::event)
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Whether some rule's goal is retained or expanded: then a change of revenue makes attribution look at the account again. */
    public boolean judgesRevenue() {
        return snapshot.rules().values().stream().map(Rule::goal).anyMatch(goal -> goal != null && goal.onRevenue());
    }

    public List<Rule> ofKind(Rule.TriggerKind kind) {
        return snapshot.rules().values().stream()
                .filter(rule -> rule.triggerKind() == kind)
                .toList();
    }

    public java.util.Optional<Rule> find(String id) {
        return java.util.Optional.ofNullable(snapshot.rules().get(id));
    }

    /** Reads the folder again; valid files replace their rules, invalid ones keep the last good version. */
    public synchronized Snapshot reload() {
        Path dir = config.dir();
        profiles.reload();
        templates.check();
        RuleFileReader reader = reader();
        Map<String, Rule> previous = snapshot.rules();
        Map<String, Rule> loaded = new LinkedHashMap<>();
        List<Violation> problems = new ArrayList<>();
        for (Path path : ruleFiles(dir, problems)) {
            String file = path.getFileName().toString();
            String content;
            try {
                content = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problems.add(Violation.inFile(file, null, "cannot be read: " + e.getMessage()));
                continue;
            }
            RuleFileReader.Outcome outcome = reader.read(file, content);
            if (outcome.rule() != null) {
                loaded.put(outcome.rule().id(), outcome.rule());
                continue;
            }
            problems.addAll(outcome.problems());
            String id = file.replaceFirst("\\.ya?ml$", "");
            if (previous.containsKey(id)) {
                loaded.put(id, previous.get(id));
            }
        }
        for (Violation problem : problems) {
            LOG.warnf(
                    "rule file %s%s: %s",
                    problem.file(), problem.line() == null ? "" : " line " + problem.line(), problem.message());
        }
        problems.addAll(profiles.problems());
        LOG.infof("%d rules in force from %s, %d problems", loaded.size(), dir, problems.size());
        snapshot = new Snapshot(Map.copyOf(loaded), List.copyOf(problems));
        reloadListeners.forEach(listener -> listener.accept(snapshot));
        return snapshot;
    }

    /** Validates a rule file's text without loading it: the problems it would have, with lines. */
    public List<Violation> validate(String file, String content) {
        return reader().read(file, content).problems();
    }

    private RuleFileReader reader() {
        return new RuleFileReader(
                templates::exists,
                templates::metadataProblem,
                profiles.definitions().segments().keySet(),
                profiles.definitions().milestones().keySet(),
                webhooks.targets().keySet());
    }

    private static List<Path> ruleFiles(Path dir, List<Violation> problems) {
        if (!Files.isDirectory(dir)) {
            problems.add(Violation.inFile(dir.toString(), null, "the rules folder does not exist"));
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(path -> path.getFileName().toString().matches(".+\\.ya?ml"))
                    .filter(path -> !NOT_RULES.contains(path.getFileName().toString()))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            problems.add(Violation.inFile(dir.toString(), null, "cannot be listed: " + e.getMessage()));
            return List.of();
        }
    }
}
