package dev.kizuna.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a message goes. */
public enum Channel {
    @JsonProperty("email")
    EMAIL,
    @JsonProperty("inapp")
    INAPP;

    public String wireName() {
        return name().toLowerCase();
    }
}
