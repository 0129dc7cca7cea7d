package dev.kizuna.security;

import java.util.Locale;

/**
 * What an API key may do. {@code write} is the key a product embeds (ingestion, nudges); the
 * review roles build on each other: a marketer can do what a CSM can, an admin everything.
 */
public enum Role {
    /** Sends events and reads and acts on a user's nudges. */
    WRITE,
    /** Reads accounts, users, messages and explanations. */
    CSM,
    /** Also rules, templates, previews, test sends, simulations, reports, reloads and preferences. */
    MARKETER,
    /** Also keys, erasure and the audit log; and everything a write key can do. */
    ADMIN;

    /** Whether a key of this role may do what needs {@code needed}. */
    public boolean grants(Role needed) {
        return switch (this) {
            case ADMIN -> true;
            case MARKETER -> needed == MARKETER || needed == CSM;
            case CSM -> needed == CSM;
            case WRITE -> needed == WRITE;
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of a wire name, or null. */
    public static Role ofWireName(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return role;
            }
        }
        return null;
    }
}
