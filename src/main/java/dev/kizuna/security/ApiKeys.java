package dev.kizuna.security;

import dev.kizuna.problem.ProblemException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jboss.logging.Logger;

/**
 * API keys: created from the environment at start-up, through the admin API or the command line;
 * stored only as the SHA-256 of the secret, which is shown once, when the key is created.
 */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecurityConfig config;
    private final AccessConfig access;
    private final Clock clock;
    /** Recently authenticated keys by hash, so that a busy key does not cost a query per call. */
    private final ConcurrentMap<String, Cached> recent = new ConcurrentHashMap<>();

    ApiKeys(SecurityConfig config, AccessConfig access, Clock clock) {
        this.config = config;
        this.access = access;
        this.clock = clock;
    }

    /** A live key as a request presents it. */
    public record Authenticated(long id, String name, Role role) {}

    /** A key as the admin API lists it; the secret is never shown again. */
    public record KeyView(long id, String name, String role, Instant createdAt, Instant revokedAt) {}

    /** A new key with its secret, shown this once. */
    public record CreatedKey(long id, String name, String role, String secret, Instant createdAt) {}

    private record Cached(Authenticated key, long until) {}

    @Transactional
    void bootstrap(@Observes StartupEvent startup) {
        config.writeKey().ifPresent(secret -> ensure(secret, Role.WRITE, "bootstrap write key"));
        config.adminKey().ifPresent(secret -> ensure(secret, Role.ADMIN, "bootstrap admin key"));
        if (ApiKey.count("revokedAt is null") == 0) {
            LOG.warn(
                    "no API keys exist: set KIZUNA_BOOTSTRAP_WRITE_KEY and KIZUNA_BOOTSTRAP_ADMIN_KEY, or create one with 'keys create'");
        }
    }

    private void ensure(String secret, Role role, String name) {
        String hash = hash(secret);
        if (ApiKey.count("keyHash", hash) == 0) {
            persist(hash, role, name);
            LOG.infof("created %s", name);
        }
    }

    @Transactional
    public CreatedKey create(Role role, String name) {
        if (role == null) {
            throw ProblemException.badField("role", "must be one of write, csm, marketer, admin");
        }
        if (name == null || name.isBlank() || name.length() > 100) {
            throw ProblemException.badField("name", "is required, at most 100 characters");
        }
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        String secret = "kz_" + role.wireName() + "_"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ApiKey key = persist(hash(secret), role, name.strip());
        return new CreatedKey(key.id, key.name, role.wireName(), secret, key.createdAt);
    }

    private ApiKey persist(String hash, Role role, String name) {
        ApiKey key = new ApiKey();
        key.keyHash = hash;
        key.role = role;
        key.name = name;
        key.createdAt = Instant.now(clock);
        key.persist();
        return key;
    }

    @Transactional
    public List<KeyView> list() {
        return ApiKey.<ApiKey>listAll(io.quarkus.panache.common.Sort.ascending("id")).stream()
                .map(key -> new KeyView(key.id, key.name, key.role.wireName(), key.createdAt, key.revokedAt))
                .toList();
    }

    /** Revokes a key; on this instance at once, on others within the key cache time. */
    @Transactional
    public KeyView revoke(long id) {
        ApiKey key = ApiKey.findById(id);
        if (key == null) {
            throw ProblemException.notFound("no API key with id " + id);
        }
        if (key.revokedAt == null) {
            key.revokedAt = Instant.now(clock);
        }
        recent.remove(key.keyHash);
        return new KeyView(key.id, key.name, key.role.wireName(), key.createdAt, key.revokedAt);
    }

    /** The live key with this secret, if there is one. */
    @Transactional
    public Optional<Authenticated> authenticate(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > 512) {
            return Optional.empty();
        }
        String hash = hash(secret);
        Cached cached = recent.get(hash);
        if (cached != null && cached.until() - System.nanoTime() > 0) {
            return Optional.of(cached.key());
        }
        Optional<Authenticated> found = ApiKey.<ApiKey>find("keyHash = ?1 and revokedAt is null", hash)
                .firstResultOptional()
                .map(key -> new Authenticated(key.id, key.name, key.role));
        found.ifPresentOrElse(
                key -> recent.put(
                        hash,
                        new Cached(key, System.nanoTime() + access.keyCache().toNanos())),
                () -> recent.remove(hash));
        return found;
    }

    /**
     * The key with this id if it is still live; for sessions that remember a key by its id, so
     * that revoking the key ends them at once. Not cached.
     */
    @Transactional
    public Optional<Authenticated> live(long id) {
        return ApiKey.<ApiKey>find("id = ?1 and revokedAt is null", id)
                .firstResultOptional()
                .map(key -> new Authenticated(key.id, key.name, key.role));
    }

    /** Passes only for a live write or admin key; used where the key travels in the body. */
    public void requireWriteKey(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw ProblemException.unauthorized(
                    "this endpoint needs a write key as the HTTP Basic user name or as the body's writeKey");
        }
        Optional<Authenticated> key = authenticate(secret);
        if (key.isEmpty()) {
            throw ProblemException.unauthorized("the key is unknown or revoked");
        }
        if (!key.get().role().grants(Role.WRITE)) {
            throw ProblemException.forbidden(
                    "a " + key.get().role().wireName() + " key cannot send events; it needs a write key");
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
