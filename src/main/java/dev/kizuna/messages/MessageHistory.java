package dev.kizuna.messages;

import java.time.Instant;

/** What the engine needs to know about messages already decided, to apply limits and caps. */
public interface MessageHistory {

    /** Whether the user got (or was held out of) this rule since {@code since}; null means ever. */
    boolean userReceived(String ruleId, String userId, Instant since);

    /** Whether anyone in the account got (or was held out of) this rule since {@code since}; null means ever. */
    boolean accountReceived(String ruleId, String accountId, Instant since);

    /** When the recipient (the account, else the user) last got or was held out of this rule; null if never. */
    Instant lastReceived(String ruleId, String accountId, String userId);

    /** Messages sent or queued to the user on a channel since {@code since}, for frequency caps. */
    long sentToUser(String userId, Channel channel, Instant since);

    /** Messages sent or queued to any user of the account on a channel since {@code since}, for caps per account. */
    long sentToAccount(String accountId, Channel channel, Instant since);
}
