package dev.kizuna.segments;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.common.RulesConfig;
import dev.kizuna.problem.Problem.Violation;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Segments, activation and health as defined in the rules folder. A file that fails validation
 * is reported and its last good version stays in force; a missing file defines nothing.
 */
@Startup
@ApplicationScoped
public class ProfileCatalog {

    private static final Logger LOG = Logger.getLogger(ProfileCatalog.class);

    private final RulesConfig config;
    private volatile ProfileDefinitions definitions = ProfileDefinitions.NONE;
    private volatile List<Violation> problems = List.of();
    /** The digest of the definitions' files as last loaded, to tell a reload that changed them from one that did not. */
    private String loadedDigest;

    private final List<Consumer<String>> changeListeners = new CopyOnWriteArrayList<>();

    ProfileCatalog(RulesConfig config) {
        this.config = config;
    }

    @PostConstruct
    void loadAtStartup() {
        reload();
    }

    public ProfileDefinitions definitions() {
        return definitions;
    }

    /** The account's segments in segments.yaml order: the order in which template variants are looked for. */
    public List<String> orderedSegments(AccountSnapshot account) {
        if (account == null) {
            return List.of();
        }
        return definitions.segments().keySet().stream()
                .filter(account.profile().segments()::contains)
                .toList();
    }

    public List<Violation> problems() {
        return problems;
    }

    /**
     * Calls the listener after each reload that changed segments, activation or health (stored
     * memberships and profiles were computed under the previous definitions), with a digest of
     * the files as now loaded: the same on every instance that loads the same files.
     */
    public void onChange(Consumer<String> listener) {
        changeListeners.add(listener);
    }

    public synchronized void reload() {
        ProfileFileReader reader = new ProfileFileReader();
        ProfileDefinitions previous = definitions;
        List<Violation> found = new ArrayList<>();

        var segments = previous.segments();
        String segmentsText = read(ProfileFileReader.SEGMENTS, found);
        if (segmentsText != null) {
            int before = reader.problems().size();
            var parsed = reader.segments(segmentsText);
            segments = reader.problems().size() == before ? parsed : previous.segments();
        } else if (!exists(ProfileFileReader.SEGMENTS)) {
            segments = ProfileDefinitions.NONE.segments();
        }

        ProfileFileReader.ActivationParts activation = new ProfileFileReader.ActivationParts(
                previous.milestones(),
                previous.activatedWhen(),
                previous.activationWindow(),
                previous.churnedWhen(),
                previous.atRiskWhen());
        String activationText = read(ProfileFileReader.ACTIVATION, found);
        if (activationText != null) {
            var parsed = reader.activation(activationText);
            if (parsed != null) {
                activation = parsed;
            }
        } else if (!exists(ProfileFileReader.ACTIVATION)) {
            activation = new ProfileFileReader.ActivationParts(
                    NONE_MILESTONES,
                    List.of(),
                    ProfileDefinitions.NONE.activationWindow(),
                    ProfileDefinitions.NONE.churnedWhen(),
                    ProfileDefinitions.NONE.atRiskWhen());
        }

        ProfileFileReader.HealthParts health =
                new ProfileFileReader.HealthParts(previous.healthSignals(), previous.healthBands());
        String healthText = read(ProfileFileReader.HEALTH, found);
        if (healthText != null) {
            var parsed = reader.health(healthText);
            if (parsed != null) {
                health = parsed;
            }
        } else if (!exists(ProfileFileReader.HEALTH)) {
            health = new ProfileFileReader.HealthParts(
                    ProfileDefinitions.NONE.healthSignals(), ProfileDefinitions.NONE.healthBands());
        }

        found.addAll(reader.problems());
        found.forEach(problem -> LOG.warnf("%s line %s: %s", problem.file(), problem.line(), problem.message()));
        definitions = new ProfileDefinitions(
                segments,
                activation.milestones(),
                activation.activatedWhen(),
                activation.window(),
                activation.churnedWhen(),
                activation.atRiskWhen(),
                health.signals(),
                health.bands());
        problems = List.copyOf(found);
        String digest = digest(segmentsText + "\u0000" + activationText + "\u0000" + healthText);
        boolean changed = loadedDigest != null && !loadedDigest.equals(digest);
        loadedDigest = digest;
        if (changed) {
            for (var listener : changeListeners) {
                try {
                    listener.accept(digest);
                } catch (RuntimeException e) {
                    // The definitions are in force all the same; stored memberships follow at the next refresh.
                    LOG.errorf(e, "acting on the changed definitions failed: %s", e.getMessage());
                }
            }
        }
        LOG.infof(
                "%d segments, %d milestones, %d health signals in force",
                segments.size(),
                activation.milestones().size(),
                health.signals().size());
    }

    private static String digest(String sources) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(sources.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static final java.util.Map<String, ProfileDefinitions.MilestoneDefinition> NONE_MILESTONES =
            java.util.Map.of();

    private boolean exists(String file) {
        return Files.isRegularFile(config.dir().resolve(file));
    }

    private String read(String file, List<Violation> found) {
        Path path = config.dir().resolve(file);
        if (!Files.isRegularFile(path)) {
            return null;
        }
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            found.add(Violation.inFile(file, null, "cannot be read: " + e.getMessage()));
            return null;
        }
    }
}
