package dev.kizuna.rules;

/** What the engine needs to know about messages already decided, to apply a rule's limits. */
public interface MessageHistory {

    boolean userReceived(String ruleId, String userId);

    boolean accountReceived(String ruleId, String accountId);
}
