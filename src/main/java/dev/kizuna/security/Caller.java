package dev.kizuna.security;

import dev.kizuna.audit.Actor;
import jakarta.enterprise.context.RequestScoped;

/** The key the current request came with, for the audit log. */
@RequestScoped
public class Caller implements Actor {

    private ApiKeys.Authenticated key;

    void set(ApiKeys.Authenticated key) {
        this.key = key;
    }

    /** "name (key id)", or "anonymous" where no key was needed. */
    @Override
    public String describe() {
        return key == null ? "anonymous" : key.name() + " (key " + key.id() + ")";
    }
}
