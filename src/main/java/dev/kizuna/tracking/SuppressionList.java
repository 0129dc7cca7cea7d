package dev.kizuna.tracking;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Addresses never to be mailed again (erased, and later unsubscribed or hard-bounced). Only a
 * SHA-256 of the lower-cased address is kept, so an erased person's address is not stored.
 */
@ApplicationScoped
public class SuppressionList {

    public static final String ERASED = "erased";
    public static final String UNSUBSCRIBED = "unsubscribed";
    public static final String HARD_BOUNCE = "hard-bounce";

    private final Clock clock;

    SuppressionList(Clock clock) {
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void suppress(String address, String reason) {
        Panache.getEntityManager()
                .createNativeQuery(
                        "insert into suppression (address_hash, reason, created_at) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, hash(address))
                .setParameter(2, reason)
                .setParameter(3, Timestamp.from(clock.instant()))
                .executeUpdate();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean isSuppressed(String address) {
        return !Panache.getEntityManager()
                .createNativeQuery("select reason from suppression where address_hash = ?1")
                .setParameter(1, hash(address))
                .getResultList()
                .isEmpty();
    }

    /** Which of these addresses are suppressed, as their hashes: one query for a set of decisions. */
    @Transactional(Transactional.TxType.SUPPORTS)
    Set<String> suppressedHashesAmong(Collection<String> addresses) {
        if (addresses.isEmpty()) {
            return Set.of();
        }
        Set<String> hashes = new HashSet<>();
        for (Object hash : Panache.getEntityManager()
                .createNativeQuery("select address_hash from suppression where address_hash in (:hashes)")
                .setParameter(
                        "hashes",
                        addresses.stream().map(SuppressionList::hash).distinct().toList())
                .getResultList()) {
            hashes.add((String) hash);
        }
        return hashes;
    }

    static String hash(String address) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(address.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
