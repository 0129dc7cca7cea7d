package dev.kizuna.common;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.MDC;

/**
 * What the log lines written meanwhile are about, in the MDC: the message, rule, account and
 * firing, by id only (never an address or a name). JSON logs carry them as fields on every line;
 * closing restores what was there before, so contexts nest.
 */
public final class LogContext implements AutoCloseable {

    public static final String MESSAGE = "messageId";
    public static final String RULE = "rule";
    public static final String ACCOUNT = "account";
    public static final String FIRING = "firing";

    private final Map<String, Object> previous = new LinkedHashMap<>();

    private LogContext() {}

    /** A message on its way: its id, rule and account (either may be null). */
    public static LogContext ofMessage(long messageId, String rule, String account) {
        return new LogContext().with(MESSAGE, messageId).with(RULE, rule).with(ACCOUNT, account);
    }

    /** A decision about an account by a rule. */
    public static LogContext ofDecision(String rule, String account) {
        return new LogContext().with(RULE, rule).with(ACCOUNT, account);
    }

    /** A firing of scheduled rules being swept. */
    public static LogContext ofFiring(String firingId) {
        return new LogContext().with(FIRING, firingId);
    }

    /** The account a call concerns, while it is processed. */
    public static LogContext ofAccount(String account) {
        return new LogContext().with(ACCOUNT, account);
    }

    private LogContext with(String key, Object value) {
        if (value != null) {
            previous.put(key, MDC.get(key));
            MDC.put(key, value);
        }
        return this;
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
