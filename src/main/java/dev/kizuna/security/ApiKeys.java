package dev.kizuna.security;

import dev.kizuna.problem.ProblemException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.jboss.logging.Logger;

/** API keys: provisioning from the environment and authentication of presented secrets. */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    private final SecurityConfig config;
    private final Clock clock;

    ApiKeys(SecurityConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Transactional
    void bootstrap(@Observes StartupEvent startup) {
        config.writeKey().ifPresent(secret -> ensure(secret, Role.WRITE, "bootstrap write key"));
        config.adminKey().ifPresent(secret -> ensure(secret, Role.ADMIN, "bootstrap admin key"));
        if (ApiKey.count("revokedAt is null") == 0) {
            LOG.warn("no API keys exist: set KIZUNA_BOOTSTRAP_WRITE_KEY and KIZUNA_BOOTSTRAP_ADMIN_KEY");
        }
    }

    private void ensure(String secret, Role role, String name) {
        String hash = hash(secret);
        if (ApiKey.count("keyHash", hash) == 0) {
            ApiKey key = new ApiKey();
            key.keyHash = hash;
            key.role = role;
            key.name = name;
            key.createdAt = Instant.now(clock);
            key.persist();
            LOG.infof("created %s", name);
        }
    }

    /** The role of a live key with this secret, if there is one. */
    @Transactional
    public Optional<Role> authenticate(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        return ApiKey.<ApiKey>find("keyHash = ?1 and revokedAt is null", hash(secret))
                .firstResultOptional()
                .map(key -> key.role);
    }

    /** Passes only for a live write or admin key; used where the key travels in the body. */
    public void requireWriteKey(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw ProblemException.unauthorized("this endpoint needs a write key as the HTTP Basic user name or as the body's writeKey");
        }
        if (authenticate(secret).isEmpty()) {
            throw ProblemException.unauthorized("the key is unknown or revoked");
        }
    }

    static String hash(String secret) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
