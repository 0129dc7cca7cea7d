package dev.kizuna.rules;

import dev.kizuna.problem.Problem.Violation;
import dev.kizuna.templates.TemplateCatalog;
import jakarta.annotation.PostConstruct;
import io.quarkus.runtime.Startup;
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

    private volatile Snapshot snapshot = new Snapshot(Map.of(), List.of());

    RuleCatalog(RulesConfig config, TemplateCatalog templates) {
        this.config = config;
        this.templates = templates;
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
        return snapshot.rules().values().stream()
                .filter(rule -> event.equals(rule.definition().trigger().event()))
                .toList();
    }

    /** Reads the folder again; valid files replace their rules, invalid ones keep the last good version. */
    public synchronized Snapshot reload() {
        Path dir = config.dir();
        RuleFileReader reader = new RuleFileReader(templates::exists);
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
            LOG.warnf("rule file %s%s: %s", problem.file(), problem.line() == null ? "" : " line " + problem.line(), problem.message());
        }
        LOG.infof("%d rules in force from %s, %d problems", loaded.size(), dir, problems.size());
        snapshot = new Snapshot(Map.copyOf(loaded), List.copyOf(problems));
        return snapshot;
    }

    private static List<Path> ruleFiles(Path dir, List<Violation> problems) {
        if (!Files.isDirectory(dir)) {
            problems.add(Violation.inFile(dir.toString(), null, "the rules folder does not exist"));
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files
                    .filter(path -> path.getFileName().toString().matches(".+\\.ya?ml"))
                    .filter(path -> !NOT_RULES.contains(path.getFileName().toString()))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            problems.add(Violation.inFile(dir.toString(), null, "cannot be listed: " + e.getMessage()));
            return List.of();
        }
    }
}
