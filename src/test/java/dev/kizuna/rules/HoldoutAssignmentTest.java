package dev.kizuna.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Who is in a rule's holdout group: the same accounts every time, about the configured share of them. */
class HoldoutAssignmentTest {

    private static final List<String> ACCOUNTS =
            IntStream.range(0, 20_000).mapToObj(i -> "account-" + i).toList();

    @Test
    void anAccountsBucketIsFixedByRuleAndAccountAlone() {
        // Pinned: a different bucket for the same pair would move accounts between the groups of a running holdout.
        assertEquals(7626, HoldoutAssignment.bucket("welcome-email", "acme"));
        assertEquals(6436, HoldoutAssignment.bucket("welcome-email", "globex"));
        assertEquals(7078, HoldoutAssignment.bucket("trial-ending", "acme"));
        assertEquals(555, HoldoutAssignment.bucket("welcome-email", "account-11"));
    }

    @Test
    void theSameAccountIsAlwaysInOrAlwaysOut() {
        for (String account : ACCOUNTS.subList(0, 1_000)) {
            boolean first = HoldoutAssignment.heldOut("welcome-email", account, 10);
            for (int again = 0; again < 3; again++) {
                assertEquals(first, HoldoutAssignment.heldOut("welcome-email", account, 10), account);
            }
        }
        assertTrue(HoldoutAssignment.heldOut("welcome-email", "account-11", 10));
        assertFalse(HoldoutAssignment.heldOut("welcome-email", "acme", 10));
    }

    @Test
    void everyBucketIsOneOfTenThousand() {
        assertTrue(ACCOUNTS.stream()
                .mapToInt(account -> HoldoutAssignment.bucket("welcome-email", account))
                .allMatch(bucket -> bucket >= 0 && bucket < HoldoutAssignment.BUCKETS));
    }

    @Test
    void theShareHeldOutIsCloseToTheConfiguredPercent() {
        // 20,000 accounts: one standard deviation of the share is at most 0.35 points, so 1.5 points is far outside
        // chance.
        for (int percent : List.of(1, 10, 25, 50)) {
            double share = 100.0 * heldOut("welcome-email", percent).size() / ACCOUNTS.size();
            assertEquals(percent, share, 1.5, percent + "% configured");
        }
    }

    @Test
    void noneAndAllAreExact() {
        assertTrue(heldOut("welcome-email", 0).isEmpty());
        assertEquals(ACCOUNTS.size(), heldOut("welcome-email", 100).size());
    }

    @Test
    void raisingThePercentOnlyAddsAccountsToTheHoldout() {
        Set<String> tenPercent = heldOut("welcome-email", 10);
        Set<String> twentyPercent = heldOut("welcome-email", 20);
        assertTrue(twentyPercent.containsAll(tenPercent));
    }

    @Test
    void differentRulesHoldOutDifferentAccounts() {
        Set<String> both = heldOut("welcome-email", 10);
        both.retainAll(heldOut("trial-ending", 10));
        // Independent assignments overlap in about 10% of 10%: 200 of 20,000; the same assignment would overlap in
        // 2,000.
        assertEquals(200, both.size(), 80);
    }

    private static Set<String> heldOut(String rule, int percent) {
        Set<String> heldOut = new HashSet<>();
        ACCOUNTS.stream()
                .filter(account -> HoldoutAssignment.heldOut(rule, account, percent))
                .forEach(heldOut::add);
        return heldOut;
    }
}
