package dev.kizuna.rules;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.UserSnapshot;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One rule looked at for one recipient, and why it fires or not: each check in the order the
 * engine applies them, with what it found.
 */
public record Evaluation(Rule rule, Recipient recipient, Cause cause, Verdict verdict, List<Check> checks) {

    public enum Verdict {
        /** Every check passed: the rule's messages go out (subject to caps, quiet hours and suppression). */
        FIRE,
        /** Every check passed but the recipient is in the rule's holdout group: recorded, not sent. */
        HOLD_OUT,
        /** A check failed: nothing is recorded. */
        SKIP
    }

    /** Who the rule is looked at for. */
    public record Recipient(AccountSnapshot account, UserSnapshot user) {

        public String accountId() {
            return account == null ? null : account.id();
        }
    }

    /** What made the engine look: an event (by messageId), a schedule firing, a timer or a segment change. */
    public record Cause(String type, String ref, String eventName, Map<String, Object> eventProperties) {

        public static Cause event(String messageId, String eventName, Map<String, Object> properties) {
            return new Cause("event", messageId, eventName, properties);
        }
    }

    /** One step of the decision: its name, whether it passed, and what it found. */
    public record Check(String name, boolean passed, String detail) {}

    /** The explanation stored on the message: the trigger and every check, in one line. */
    public String explanation() {
        return rule.describeTrigger() + " (" + cause.type() + (cause.ref() == null ? "" : " " + cause.ref()) + "); "
                + checks.stream()
                        .map(check -> check.name() + ": " + check.detail())
                        .collect(Collectors.joining("; "));
    }
}
