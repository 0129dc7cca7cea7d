package dev.kizuna.common;

import java.time.Duration;

/** Durations as marketers write them in YAML: 30m, 12h, 3d, 2w. */
public final class Durations {

    private Durations() {}

    public static Duration parse(String text) {
        if (text == null || !text.strip().matches("\\d{1,6}[mhdw]")) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration: write a number and m, h, d or w, e.g. 3d");
        }
        String value = text.strip();
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> Duration.ofDays(amount * 7);
        };
    }
}
