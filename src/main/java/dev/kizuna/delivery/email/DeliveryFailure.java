package dev.kizuna.delivery.email;

/**
 * An email that did not go out. Permanent failures are not retried; a permanent rejection of
 * the recipient (a hard bounce) also means the address should not be mailed again.
 */
public class DeliveryFailure extends Exception {

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
}
