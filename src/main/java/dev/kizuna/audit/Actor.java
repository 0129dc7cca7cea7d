package dev.kizuna.audit;

/**
 * Who the current request acts as, in the words the audit log records. Security knows the
 * request's key and provides it; the audit log only asks.
 */
public interface Actor {

    /** How the audit log names the actor; throws ContextNotActiveException outside a request. */
    String describe();
}
