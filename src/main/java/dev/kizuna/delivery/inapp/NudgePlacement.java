package dev.kizuna.delivery.inapp;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where the product shows an in-app nudge; a template's template.yaml chooses it with {@code placement:}. */
public enum NudgePlacement {
    /** A strip across the top of the page: the default, present without being in the way. */
    BANNER,
    /** A dialog over a dimmed page, for what should not be missed. */
    MODAL,
    /** A small card in a corner. */
    TOAST,
    /** Inside the element the product gives the script. */
    INLINE;

    public static final NudgePlacement DEFAULT = BANNER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<NudgePlacement> fromWireName(String value) {
        return Arrays.stream(values())
                .filter(placement -> placement.wireName().equals(value))
                .findFirst();
    }

    /** "banner, modal, toast, inline", for messages that say what is allowed. */
    public static String choices() {
        return Arrays.stream(values()).map(NudgePlacement::wireName).collect(Collectors.joining(", "));
    }
}
