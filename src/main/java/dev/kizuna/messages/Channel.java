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
    CSM,
    /** A signed POST of a JSON body to a target named in configuration: another system hears of the decision. */
    @JsonProperty("webhook")
    WEBHOOK,
    /** A message to a Slack channel through a target's incoming webhook. */
    @JsonProperty("slack")
    SLACK;

    public String wireName() {
        return name().toLowerCase();
    }

    /** Whether the message goes to another system over HTTP rather than to a person. */
    public boolean isHttp() {
        return this == WEBHOOK || this == SLACK;
    }
}
