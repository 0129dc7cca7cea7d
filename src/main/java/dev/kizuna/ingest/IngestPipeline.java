package dev.kizuna.ingest;

import dev.kizuna.accounts.Identities;
import dev.kizuna.common.AfterCommit;
import dev.kizuna.common.TransientFailures;
import dev.kizuna.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The accepting stage of every call: a request's calls are acknowledged once they are durably
 * appended to the log of pending calls, with their messageIds claimed in the same commit (a
 * repeated messageId is acknowledged and has no second effect). {@link CallProcessor} applies
 * them behind the log; a caller that must read its own effects at once asks to wait for that.
 */
@ApplicationScoped
public class IngestPipeline {

    private final EventLog events;
    private final PendingCalls log;
    private final Identities identities;
    private final CallProcessor processor;
    private final IngestConfig config;
    private final TransactionSynchronizationRegistry transactions;

    IngestPipeline(
            EventLog events,
            PendingCalls log,
            Identities identities,
            CallProcessor processor,
            IngestConfig config,
            TransactionSynchronizationRegistry transactions) {
        this.events = events;
        this.log = log;
        this.identities = identities;
        this.processor = processor;
        this.config = config;
        this.transactions = transactions;
    }

    /** What the caller waits for before it is answered. */
    public enum Wait {
        /** The calls are durably in the log. */
        ACKNOWLEDGED,
        /** The calls are processed too: state changed, rules decided, messages recorded. */
        DECIDED;

        /** The value of the {@code wait} query parameter: absent for the default, else "decided". */
        public static Wait fromQuery(String wait) {
            if (wait == null || wait.isEmpty() || wait.equals("acknowledged")) {
                return ACKNOWLEDGED;
            }
            if (wait.equals("decided")) {
                return DECIDED;
            }
            throw ProblemException.badField(
                    "wait",
                    "must be 'decided' (answer once the calls are processed) or 'acknowledged'"
                            + " (the default: answer once they are durably accepted), not '" + wait + "'");
        }
    }

    /** The answer: how many calls were new, and whether they were processed before it (only asked for with {@link Wait#DECIDED}). */
    public record Acknowledged(int accepted, int duplicates, boolean decided) {}

    /**
     * Appends the calls to the log in one transaction and returns after its commit: all of them
     * are acknowledged, or none. Refused with 503 while processing is further behind than
     * {@code kizuna.ingest.max-lag}, so that a backlog cannot grow without limit.
     */
    public Acknowledged accept(List<SegmentCall> calls, Wait wait) {
        refuseWhenTooFarBehind();
        if (wait == Wait.ACKNOWLEDGED) {
            List<SegmentCall> fresh = append(calls);
            counted(fresh.size(), calls.size() - fresh.size());
            return new Acknowledged(fresh.size(), calls.size() - fresh.size(), false);
        }
        Set<String> messageIds = new LinkedHashSet<>();
        calls.forEach(call -> messageIds.add(call.messageId()));
        // Before the calls are in the log: their processing here cannot then go unnoticed.
        CallProcessor.Waiter waiter = processor.expect(messageIds);
        try {
            List<SegmentCall> fresh = append(calls);
            // Duplicates were appended by an earlier request: whether they still wait is for the database to say.
            Set<String> duplicates = new LinkedHashSet<>(messageIds);
            fresh.forEach(call -> duplicates.remove(call.messageId()));
            if (!duplicates.isEmpty() && log.waiting(duplicates) == 0) {
                waiter.processed(duplicates);
            }
            counted(fresh.size(), calls.size() - fresh.size());
            boolean decided = processor.awaitProcessed(waiter, config.waitTimeout());
            return new Acknowledged(fresh.size(), calls.size() - fresh.size(), decided);
        } finally {
            processor.forget(waiter);
        }
    }

    /** kizuna_ingest_calls_total{outcome}: calls acknowledged for the first time (accepted), again (duplicate), or refused (rejected). */
    private static final String CALLS = "kizuna.ingest.calls";

    private static final Counter ACCEPTED = Metrics.counter(CALLS, "outcome", "accepted");
    private static final Counter DUPLICATE = Metrics.counter(CALLS, "outcome", "duplicate");
    private static final Counter REJECTED = Metrics.counter(CALLS, "outcome", "rejected");

    private static void counted(int accepted, int duplicates) {
        ACCEPTED.increment(accepted);
        DUPLICATE.increment(duplicates);
    }

    /** A request refused as bad input (4xx): its calls, however many it held, count as one rejected. */
    public static void rejected() {
        REJECTED.increment();
    }

    /** Claims and appends in one transaction; the calls appended for the first time. */
    private List<SegmentCall> append(List<SegmentCall> calls) {
        List<SegmentCall> fresh =
                TransientFailures.retry(() -> QuarkusTransaction.requiringNew().call(() -> {
                    List<SegmentCall> firstTime = firstTimeCalls(calls);
                    log.append(firstTime, identities.firstAccounts(subjectsNamingNoAccount(firstTime)));
                    return firstTime;
                }));
        if (!fresh.isEmpty()) {
            processor.wake();
        }
        return fresh;
    }

    /**
     * Appends calls Kizuna makes itself (its messages' engagement) in the caller's transaction,
     * so that they are in the log exactly when what they report commits: exactly once by
     * construction, with no messageId to claim against retries. Never refused for lag: what
     * happened has happened, and the log is where it waits.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void appendRecorded(List<SegmentCall> calls) {
        if (calls.isEmpty()) {
            return;
        }
        log.append(calls, identities.firstAccounts(subjectsNamingNoAccount(calls)));
        AfterCommit.run(transactions, processor::wake);
    }

    /** The users of calls that name no account: their partition follows the account they are in. */
    private static Set<String> subjectsNamingNoAccount(List<SegmentCall> calls) {
        Set<String> subjects = new HashSet<>();
        for (SegmentCall call : calls) {
            String subject = PendingCalls.subject(call);
            if (call.groupId() == null && subject != null) {
                subjects.add(subject);
            }
        }
        return subjects;
    }

    private void refuseWhenTooFarBehind() {
        PendingCalls.Backlog backlog = processor.backlog();
        if (backlog.oldest().compareTo(config.maxLag()) > 0) {
            throw ProblemException.serviceUnavailable(
                    "processing is " + backlog.oldest().toSeconds() + " s behind ("
                            + backlog.calls() + " calls waiting), past kizuna.ingest.max-lag of "
                            + config.maxLag().toSeconds()
                            + " s; this request is not acknowledged: retry it later (a retried messageId takes effect once)",
                    5);
        }
    }

    /** The calls whose messageId this request is the first to bring, each once, in the request's order. */
    private List<SegmentCall> firstTimeCalls(List<SegmentCall> calls) {
        Set<String> claimed = events.claim(calls);
        List<SegmentCall> fresh = new ArrayList<>();
        for (SegmentCall call : calls) {
            if (claimed.remove(call.messageId())) {
                fresh.add(call);
            }
        }
        return fresh;
    }
}
