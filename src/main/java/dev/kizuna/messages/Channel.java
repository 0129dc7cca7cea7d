package dev.kizuna.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a message goes. */
public enum Channel {
    @JsonProperty("email")
    EMAIL,
    @JsonProperty("inapp")
    INAPP,
    /** An email to the account's owner CSM: human follow-up instead of, or besides, messaging the customer. */
    @JsonProperty("csm")
    CSM;

    public String wireName() {
        return name().toLowerCase();
    }
}
