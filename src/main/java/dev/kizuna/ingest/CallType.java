package dev.kizuna.ingest;

/** The Segment call types Kizuna accepts. */
public enum CallType {
    IDENTIFY,
    TRACK,
    GROUP,
    PAGE,
    SCREEN,
    ALIAS;

    public String wireName() {
        return name().toLowerCase();
    }

    /** The call type named in a batch item's "type", or null if Segment has no such type. */
    public static CallType fromWire(String type) {
        for (CallType candidate : values()) {
            if (candidate.wireName().equals(type)) {
                return candidate;
            }
        }
        return null;
    }
}
