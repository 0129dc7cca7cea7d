package dev.kizuna.reports;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One account's plan and recurring revenue over time, from its history in time order: each
 * change states some fields, and a field keeps the value last stated until another change states
 * it. An account with no revenue stated yet pays nothing.
 */
record RevenueTimeline(String accountId, Instant signup, List<Change> changes) {

    /** A change as the history keeps it: a field left null was not stated by it. */
    record Change(Instant at, String plan, BigDecimal mrr, BigDecimal arr) {}

    /** The plan and revenue holding at one time. */
    record State(String plan, BigDecimal mrr, BigDecimal arr) {

        static final State NONE = new State(null, BigDecimal.ZERO, BigDecimal.ZERO);

        boolean paying() {
            return mrr.signum() > 0;
        }
    }

    /**
     * The state just before {@code instant}: a change at the instant itself counts from then on,
     * so a change at midnight on the first of a month belongs to that month.
     */
    State before(Instant instant) {
        String plan = null;
        BigDecimal mrr = null;
        BigDecimal arr = null;
        for (Change change : changes) {
            if (!change.at().isBefore(instant)) {
                break;
            }
            if (change.plan() != null) {
                plan = change.plan();
            }
            if (change.mrr() != null) {
                mrr = change.mrr();
                arr = change.arr();
            }
        }
        return new State(plan, mrr == null ? BigDecimal.ZERO : mrr, arr == null ? BigDecimal.ZERO : arr);
    }

    /** Whether the account paid at any time before {@code instant}: a return after that is a reactivation, not a new account. */
    boolean paidBefore(Instant instant) {
        return changes.stream()
                .anyMatch(change -> change.at().isBefore(instant)
                        && change.mrr() != null
                        && change.mrr().signum() > 0);
    }
}
