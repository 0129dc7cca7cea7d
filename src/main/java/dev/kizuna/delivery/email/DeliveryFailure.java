package dev.kizuna.delivery.email;

import java.util.regex.Pattern;

/**
 * An email (or a webhook or Slack post) that did not go out. Permanent failures are not retried;
 * a permanent rejection of the recipient (a hard bounce) also means the address should not be
 * mailed again.
 */
public class DeliveryFailure extends Exception {

    /** A quoted value holding an @, as address errors quote what they refuse: 'x@y' or ``x@y''. */
    private static final Pattern QUOTED_ADDRESS = Pattern.compile("(``|')[^'`\\n]*@[^'`\\n]*(''|')");

    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>\"'`(),;:\\[\\]]+@[^\\s<>\"'`(),;:\\[\\]]+");

    private final boolean permanent;
    private final boolean recipientRejected;

    public DeliveryFailure(String message, boolean permanent, Throwable cause) {
        this(message, permanent, false, cause);
    }

    public DeliveryFailure(String message, boolean permanent, boolean recipientRejected, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
        this.recipientRejected = recipientRejected;
    }

    public boolean permanent() {
        return permanent;
    }

    public boolean hardBounce() {
        return permanent && recipientRejected;
    }

    /** The reason for the log: what went wrong, without the addresses it names (the message id says which email). */
    public String reasonForLog() {
        return withoutAddresses(getMessage());
    }

    /**
     * The text with every email address, and every quoted value holding one (which may carry a
     * name too), replaced by [address]: SMTP replies and address errors repeat the recipient.
     */
    public static String withoutAddresses(String text) {
        if (text == null) {
            return null;
        }
        return ADDRESS.matcher(QUOTED_ADDRESS.matcher(text).replaceAll("[address]"))
                .replaceAll("[address]");
    }
}
