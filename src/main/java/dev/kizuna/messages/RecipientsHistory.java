package dev.kizuna.messages;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The message history of a known set of recipients, each for the rules it may get, read with a
 * few grouped queries for a set of decisions (when the first of them asks) and kept up to date in
 * memory as those decisions are made: each decision sees the ones made before it, as it would if
 * each were read from the log. Asking about a recipient, or a rule not named for it, is a
 * programming error, not a question for the database: its answer would miss the decisions not yet
 * written.
 */
public final class RecipientsHistory implements MessageHistory {

    private record RuleSubject(String ruleId, String subjectId) {}

    private record UserChannel(String userId, Channel channel) {}

    private record AccountChannel(String accountId, Channel channel) {}

    private final Map<String, Set<String>> rulesByUser;
    private final Map<String, Set<String>> rulesByAccount;
    private final Instant capsSince;
    private final Map<RuleSubject, Instant> lastToUser = new HashMap<>();
    private final Map<RuleSubject, Instant> lastToAccount = new HashMap<>();
    private final Map<UserChannel, List<Instant>> deliveringToUser = new HashMap<>();
    private final Map<AccountChannel, List<Instant>> deliveringToAccount = new HashMap<>();
    private final LoggedMessageHistory log;
    private final boolean readAhead;
    private final boolean accountCaps;
    private boolean read;

    RecipientsHistory(
            Map<String, Set<String>> rulesByUser,
            Map<String, Set<String>> rulesByAccount,
            Instant capsSince,
            boolean readAhead,
            boolean accountCaps,
            LoggedMessageHistory log) {
        this.rulesByUser = Map.copyOf(rulesByUser);
        this.rulesByAccount = Map.copyOf(rulesByAccount);
        this.capsSince = capsSince;
        this.readAhead = readAhead;
        this.accountCaps = accountCaps;
        this.log = log;
    }

    /**
     * Read ahead for the whole set when first asked (most evaluations of a sweep stop at their
     * condition and never ask). A small set asks the log each question instead, which costs less
     * than reading everything its recipients got. Either way the decisions remembered here are not
     * in the log yet, so the two add up.
     */
    private void readOnce() {
        if (readAhead && !read) {
            read = true;
            log.read(this, rulesByUser, rulesByAccount, capsSince, accountCaps);
        }
    }

    private boolean askLog() {
        return !readAhead;
    }

    void userReceivedAt(String ruleId, String userId, Instant at) {
        lastToUser.merge(new RuleSubject(ruleId, userId), at, RecipientsHistory::later);
    }

    void accountReceivedAt(String ruleId, String accountId, Instant at) {
        lastToAccount.merge(new RuleSubject(ruleId, accountId), at, RecipientsHistory::later);
    }

    void deliveringAt(String userId, Channel channel, Instant at) {
        deliveringToUser
                .computeIfAbsent(new UserChannel(userId, channel), key -> new ArrayList<>())
                .add(at);
    }

    void deliveringToAccountAt(String accountId, Channel channel, Instant at) {
        deliveringToAccount
                .computeIfAbsent(new AccountChannel(accountId, channel), key -> new ArrayList<>())
                .add(at);
    }

    /** A decision of the set, made at {@code at}: later questions count it. */
    public void remember(NewMessage message, Instant at) {
        if (LoggedMessageHistory.RECEIVED.contains(message.status())) {
            if (message.userId() != null) {
                userReceivedAt(message.ruleId(), message.userId(), at);
            }
            if (message.accountId() != null) {
                accountReceivedAt(message.ruleId(), message.accountId(), at);
            }
        }
        if (LoggedMessageHistory.DELIVERING.contains(message.status()) && message.userId() != null) {
            deliveringAt(message.userId(), message.channel(), at);
        }
        if (LoggedMessageHistory.DELIVERING.contains(message.status()) && message.accountId() != null) {
            deliveringToAccountAt(message.accountId(), message.channel(), at);
        }
    }

    @Override
    public boolean userReceived(String ruleId, String userId, Instant since) {
        readOnce();
        Instant last = lastToUser.get(known(rulesByUser, ruleId, userId));
        return last != null && (since == null || !last.isBefore(since))
                || askLog() && log.userReceived(ruleId, userId, since);
    }

    @Override
    public boolean accountReceived(String ruleId, String accountId, Instant since) {
        readOnce();
        Instant last = lastToAccount.get(known(rulesByAccount, ruleId, accountId));
        return last != null && (since == null || !last.isBefore(since))
                || askLog() && log.accountReceived(ruleId, accountId, since);
    }

    @Override
    public Instant lastReceived(String ruleId, String accountId, String userId) {
        readOnce();
        Instant remembered = accountId != null
                ? lastToAccount.get(known(rulesByAccount, ruleId, accountId))
                : lastToUser.get(known(rulesByUser, ruleId, userId));
        Instant logged = askLog() ? log.lastReceived(ruleId, accountId, userId) : null;
        return remembered == null ? logged : logged == null ? remembered : later(remembered, logged);
    }

    @Override
    public long sentToUser(String userId, Channel channel, Instant since) {
        readOnce();
        withinCapsWindow(since);
        long remembered = deliveringToUser.getOrDefault(new UserChannel(knownUser(userId), channel), List.of()).stream()
                .filter(at -> !at.isBefore(since))
                .count();
        return remembered + (askLog() ? log.sentToUser(userId, channel, since) : 0);
    }

    /** Only for a history read with the caps per account: without them the accounts' deliveries are not read. */
    @Override
    public long sentToAccount(String accountId, Channel channel, Instant since) {
        readOnce();
        if (!accountCaps) {
            throw new IllegalStateException(
                    "a history read without the caps per account was asked for an account's messages");
        }
        withinCapsWindow(since);
        if (!rulesByAccount.containsKey(accountId)) {
            throw new IllegalArgumentException(
                    "account '" + accountId + "' is outside the recipients this history was read for");
        }
        long remembered = deliveringToAccount.getOrDefault(new AccountChannel(accountId, channel), List.of()).stream()
                .filter(at -> !at.isBefore(since))
                .count();
        return remembered + (askLog() ? log.sentToAccount(accountId, channel, since) : 0);
    }

    private static RuleSubject known(Map<String, Set<String>> rulesBySubject, String ruleId, String subjectId) {
        if (!rulesBySubject.getOrDefault(subjectId, Set.of()).contains(ruleId)) {
            throw new IllegalArgumentException("rule '" + ruleId + "' for '" + subjectId
                    + "' is outside the recipients and rules this history was read for");
        }
        return new RuleSubject(ruleId, subjectId);
    }

    private void withinCapsWindow(Instant since) {
        if (since.isBefore(capsSince)) {
            throw new IllegalArgumentException(
                    "messages since " + since + " asked of a history read from " + capsSince);
        }
    }

    private String knownUser(String userId) {
        if (!rulesByUser.containsKey(userId)) {
            throw new IllegalArgumentException("'" + userId + "' is outside the recipients this history was read for");
        }
        return userId;
    }

    private static Instant later(Instant one, Instant other) {
        return one.isAfter(other) ? one : other;
    }
}
