package dev.kizuna.security;

/** What an API key may do. Later roles (csm, marketer) sit between these two. */
public enum Role {
    /** Sends events and reads a user's nudges: the key a product embeds. */
    WRITE,
    /** Everything under /api. */
    ADMIN;

    public String wireName() {
        return name().toLowerCase();
    }
}
