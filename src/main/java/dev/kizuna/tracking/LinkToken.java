package dev.kizuna.tracking;

import java.time.Instant;

/** What a public link stands for: an action on one message, until a time; for a click, the target. */
record LinkToken(Kind kind, long messageId, Instant expiresAt, String target) {

    enum Kind {
        OPEN("o"),
        CLICK("c"),
        UNSUBSCRIBE("u");

        final String code;

        Kind(String code) {
            this.code = code;
        }

        static Kind ofCode(String code) {
            for (Kind kind : values()) {
                if (kind.code.equals(code)) {
                    return kind;
                }
            }
            return null;
        }
    }
}
