package dev.kizuna.security;

import jakarta.enterprise.context.RequestScoped;

/** The key the current request came with, for the audit log. */
@RequestScoped
public class Caller {

    private ApiKeys.Authenticated key;

    void set(ApiKeys.Authenticated key) {
        this.key = key;
    }

    /** "name (key id)", or "anonymous" where no key was needed. */
    public String describe() {
        return key == null ? "anonymous" : key.name() + " (key " + key.id() + ")";
    }
}
