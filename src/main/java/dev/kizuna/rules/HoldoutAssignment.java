package dev.kizuna.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who is in a rule's holdout group: a hash of rule and account puts each account in one of
 * 10,000 buckets, so an account is always in or out of the same rule's holdout, on every
 * instance, and different rules hold out different accounts.
 */
public final class HoldoutAssignment {

    public static final int BUCKETS = 10_000;

    private HoldoutAssignment() {}

    public static int bucket(String ruleId, String subjectId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((ruleId + ":" + subjectId).getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xff);
            }
            return (int) Math.floorMod(value, (long) BUCKETS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public static boolean heldOut(String ruleId, String subjectId, int percent) {
        return bucket(ruleId, subjectId) < percent * (BUCKETS / 100);
    }
}
