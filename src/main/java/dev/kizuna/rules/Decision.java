package dev.kizuna.rules;

import dev.kizuna.messages.Channel;

/** The engine's choice to send one message of a rule to one recipient, and why. */
public record Decision(Rule rule, Channel channel, String templateId, String explanation) {}
