package dev.kizuna.ingest;

/** The Segment call types Kizuna accepts. */
public enum CallType {
    IDENTIFY,
    TRACK,
    GROUP;

    public String wireName() {
        return name().toLowerCase();
    }
}
