package dev.kizuna.ingest;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The partitions of the log of pending calls, and which of them this instance processes. A call's
 * partition is fixed when it is appended, from its routing key (the account it is about, else its
 * user); each partition has a lease in the database, so that one instance at a time processes it,
 * in log order. Every processing instance takes its fair share of the partitions (their number
 * divided by the instances seen alive) and hands back what it holds beyond that, so that an
 * instance that starts gets work and one that dies leaves its partitions to the others once their
 * leases expire.
 */
@ApplicationScoped
public class LogPartitions {

    /** Fixed by the schema: one lease row per partition, named calls/0 to calls/15. */
    static final int COUNT = 16;

    private static final String LEASE_PREFIX = "calls/";

    /** How long an instance no longer seen stays on record (it counts as alive for a lease only). */
    private static final Duration FORGOTTEN_AFTER = Duration.ofDays(1);

    /** Identifies this instance as a holder of leases. */
    private static final String INSTANCE = UUID.randomUUID().toString();

    /** The partitions this instance holds, as of its last look; written by the processor's thread only. */
    private volatile Set<Integer> held = Set.of();

    /** The partition of a call with this routing key; calls without one go to partition 0. */
    static int of(String routingKey) {
        return routingKey == null ? 0 : Math.floorMod(routingKey.hashCode(), COUNT);
    }

    /** The partitions this instance processes now. */
    Set<Integer> held() {
        return held;
    }

    boolean holdsAll() {
        return held.size() == COUNT;
    }

    /**
     * Says this instance is alive, renews what it holds, takes free or expired partitions up to its
     * fair share and hands back those beyond it, in the caller's transaction (between two batches,
     * so that nothing is in flight on a partition handed back). Returns the partitions now held.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Set<Integer> balance(Duration lease) {
        Instant now = Instant.now();
        Timestamp expires = Timestamp.from(now.plus(lease));
        int seen = em().createNativeQuery("update call_processor set seen_at = ?1 where instance = ?2")
                .setParameter(1, Timestamp.from(now))
                .setParameter(2, INSTANCE)
                .executeUpdate();
        if (seen == 0) {
            em().createNativeQuery("insert into call_processor (instance, seen_at) values (?1, ?2)")
                    .setParameter(1, INSTANCE)
                    .setParameter(2, Timestamp.from(now))
                    .executeUpdate();
            // Instances gone for good (killed) are forgotten once nothing could still be theirs.
            em().createNativeQuery("delete from call_processor where seen_at < ?1")
                    .setParameter(1, Timestamp.from(now.minus(FORGOTTEN_AFTER)))
                    .executeUpdate();
        }
        long alive = ((Number) em().createNativeQuery("select count(*) from call_processor where seen_at > ?1")
                        .setParameter(1, Timestamp.from(now.minus(lease)))
                        .getSingleResult())
                .longValue();
        int fairShare = (int) Math.ceil(COUNT / (double) Math.max(1, alive));
        Set<Integer> mine = readHeld();
        if (mine.size() > fairShare) {
            List<String> beyond = new ArrayList<>();
            mine.stream().sorted().skip(fairShare).forEach(partition -> beyond.add(name(partition)));
            em().createNativeQuery(
                            "update processing_lease set holder = null, expires_at = null where holder = ?1 and name in (?2)")
                    .setParameter(1, INSTANCE)
                    .setParameter(2, beyond)
                    .executeUpdate();
        } else if (mine.size() < fairShare) {
            // Rows locked by a batch in flight are being renewed: skipped, so that this never waits for another
            // instance's batch.
            @SuppressWarnings("unchecked")
            List<String> free = em().createNativeQuery("""
                            select name from processing_lease
                             where name like 'calls/%' and (holder is null or expires_at is null or expires_at < ?1)
                             order by name for update skip locked""")
                    .setParameter(1, Timestamp.from(now))
                    .getResultList();
            if (!free.isEmpty()) {
                em().createNativeQuery("update processing_lease set holder = ?1, expires_at = ?2 where name in (?3)")
                        .setParameter(1, INSTANCE)
                        .setParameter(2, expires)
                        .setParameter(3, free.subList(0, Math.min(free.size(), fairShare - mine.size())))
                        .executeUpdate();
            }
        }
        em().createNativeQuery("update processing_lease set expires_at = ?1 where holder = ?2")
                .setParameter(1, expires)
                .setParameter(2, INSTANCE)
                .executeUpdate();
        held = readHeld();
        return held;
    }

    /**
     * Renews the leases of the partitions held, in the transaction of a batch: their rows stay
     * locked until it ends, so an instance taking one over waits for the batch to commit. False
     * if any was lost meanwhile (this instance stopped renewing for longer than the lease): the
     * batch must not be applied, and the next balance finds out what is still held.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean renew(Duration lease) {
        Set<Integer> mine = held;
        if (mine.isEmpty()) {
            return false;
        }
        int renewed = em().createNativeQuery(
                        "update processing_lease set expires_at = ?1 where holder = ?2 and name in (?3)")
                .setParameter(1, Timestamp.from(Instant.now().plus(lease)))
                .setParameter(2, INSTANCE)
                .setParameter(3, mine.stream().map(LogPartitions::name).toList())
                .executeUpdate();
        return renewed == mine.size();
    }

    /** Hands every partition back, so that the other instances take them over at once (on shutdown). */
    @Transactional(Transactional.TxType.MANDATORY)
    void releaseAll() {
        em().createNativeQuery("update processing_lease set holder = null, expires_at = null where holder = ?1")
                .setParameter(1, INSTANCE)
                .executeUpdate();
        em().createNativeQuery("delete from call_processor where instance = ?1")
                .setParameter(1, INSTANCE)
                .executeUpdate();
        held = Set.of();
    }

    private Set<Integer> readHeld() {
        Set<Integer> partitions = new HashSet<>();
        for (Object name : em().createNativeQuery("select name from processing_lease where holder = ?1")
                .setParameter(1, INSTANCE)
                .getResultList()) {
            partitions.add(Integer.parseInt(((String) name).substring(LEASE_PREFIX.length())));
        }
        return Set.copyOf(partitions);
    }

    private static String name(int partition) {
        return LEASE_PREFIX + partition;
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }
}
