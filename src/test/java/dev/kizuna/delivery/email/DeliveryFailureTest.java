package dev.kizuna.delivery.email;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What a failed delivery says in the log: what went wrong, never to whom. */
class DeliveryFailureTest {

    @Test
    void anSmtpReplyThatRepeatsTheRecipientIsLoggedWithoutIt() {
        DeliveryFailure refused = new DeliveryFailure(
                "SMTP 550: 550 5.1.1 <nobody@bounce.example>: Recipient address rejected: User unknown",
                true,
                true,
                null);
        assertEquals(
                "SMTP 550: 550 5.1.1 <[address]>: Recipient address rejected: User unknown", refused.reasonForLog());
    }

    @Test
    void anAddressErrorIsLoggedWithoutTheValueItQuotes() {
        DeliveryFailure composed = new DeliveryFailure(
                "invalid address: '山田 花子 <hanako@acme.example> Bcc: mallory@evil.example' contains a line break or control character",
                true,
                null);
        assertEquals("invalid address: [address] contains a line break or control character", composed.reasonForLog());

        DeliveryFailure parsed = new DeliveryFailure(
                "invalid address: Domain contains illegal character in string ``ada@acme example''", true, null);
        assertEquals("invalid address: Domain contains illegal character in string [address]", parsed.reasonForLog());
    }

    @Test
    void aFailureWithoutAnAddressIsLoggedAsItIs() {
        DeliveryFailure unreachable = new DeliveryFailure("SMTP server unreachable: Connection refused", false, null);
        assertEquals("SMTP server unreachable: Connection refused", unreachable.reasonForLog());
    }
}
