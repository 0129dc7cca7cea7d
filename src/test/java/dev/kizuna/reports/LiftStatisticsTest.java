package dev.kizuna.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.reports.LiftStatistics.Comparison;
import dev.kizuna.reports.LiftStatistics.Group;
import dev.kizuna.reports.LiftStatistics.Interval;
import org.junit.jupiter.api.Test;

class LiftStatisticsTest {

    /**
     * Newcombe (1998), "Interval estimation for the difference between independent proportions",
     * Statistics in Medicine 17:873-890, example (a): 56/70 against 48/80. p1 = 0.8, p2 = 0.6,
     * difference 0.2; his method 10 (hybrid score) interval is 0.0524 to 0.3339. The pooled
     * two-proportion z-test on the same counts: pooled p = 104/150, z = 2.6502, two-sided p = 0.00805.
     */
    @Test
    void newcombesTextbookExampleGivesHisIntervalAndTheZTest() {
        Comparison comparison = LiftStatistics.compare(Group.of(70, 56), Group.of(80, 48));

        assertEquals(0.8, comparison.treated().rate(), 1e-12);
        assertEquals(0.6, comparison.heldOut().rate(), 1e-12);
        assertEquals(0.2, comparison.absoluteLift(), 1e-12);
        assertEquals(0.2 / 0.6, comparison.relativeLift(), 1e-12);
        assertEquals(0.0524, comparison.ci95().lower(), 0.00005);
        assertEquals(0.3339, comparison.ci95().upper(), 0.00005);
        assertEquals(2.6502, comparison.zScore(), 0.00005);
        assertEquals(0.00805, comparison.pValue(), 0.000005);
        assertEquals(LiftStatistics.LIFTS, comparison.verdict());
    }

    /** Wilson (1927) score interval for 81/263, as tabulated by Newcombe (1998, single proportion paper): 0.2553 to 0.3662. */
    @Test
    void wilsonIntervalOfASingleRate() {
        Interval interval = LiftStatistics.wilsonInterval(81, 263, LiftStatistics.Z_95);
        assertEquals(0.2553, interval.lower(), 0.00005);
        assertEquals(0.3662, interval.upper(), 0.00005);
    }

    @Test
    void normalDistributionFunctionIsAccurateToOneInTenMillion() {
        // Reference values of the standard normal distribution function (and its upper tail).
        assertEquals(0.5, LiftStatistics.normalCdf(0), 1e-7);
        assertEquals(0.8413447461, LiftStatistics.normalCdf(1), 1e-7);
        assertEquals(0.9750021049, LiftStatistics.normalCdf(1.96), 1e-7);
        assertEquals(0.0013498980, LiftStatistics.normalCdf(-3), 1e-7);
        assertEquals(0.9999997133, LiftStatistics.normalCdf(5), 1e-7);
        assertEquals(2.8665157e-7, LiftStatistics.upperTail(5), 1e-7 * 2.8665157e-7 * 10);
        assertEquals(0.05, LiftStatistics.twoSidedPValue(1.959963985), 1e-7);
    }

    @Test
    void aLoweringRuleIsCalledSo() {
        Comparison comparison = LiftStatistics.compare(Group.of(400, 80), Group.of(400, 140));
        assertTrue(comparison.absoluteLift() < 0);
        assertTrue(comparison.ci95().upper() < 0);
        assertEquals(LiftStatistics.LOWERS, comparison.verdict());
    }

    @Test
    void equalRatesAreNoSignificantDifference() {
        Comparison comparison = LiftStatistics.compare(Group.of(200, 60), Group.of(50, 15));
        assertEquals(0, comparison.absoluteLift(), 1e-12);
        assertTrue(comparison.ci95().covers(0));
        assertEquals(1, comparison.pValue(), 1e-7);
        assertEquals(LiftStatistics.NO_CLEAR_DIFFERENCE, comparison.verdict());
    }

    @Test
    void belowTheMinimumSampleThereIsNoIntervalOnlyTheVerdict() {
        // 29 held-out accounts: one short of the minimum of 30.
        Comparison fewAccounts = LiftStatistics.compare(Group.of(500, 200), Group.of(29, 10));
        assertEquals(LiftStatistics.NOT_ENOUGH_DATA, fewAccounts.verdict());
        assertNull(fewAccounts.ci95());
        assertNull(fewAccounts.pValue());

        // Enough accounts, but only 4 conversions among the treated.
        Comparison fewConversions = LiftStatistics.compare(Group.of(500, 4), Group.of(100, 20));
        assertEquals(LiftStatistics.NOT_ENOUGH_DATA, fewConversions.verdict());

        // Nobody held out: no rate to compare with.
        Comparison nobodyHeldOut = LiftStatistics.compare(Group.of(500, 200), Group.of(0, 0));
        assertNull(nobodyHeldOut.heldOut().rate());
        assertNull(nobodyHeldOut.absoluteLift());
        assertEquals(LiftStatistics.NOT_ENOUGH_DATA, nobodyHeldOut.verdict());
    }

    @Test
    void theMinimumSampleIsReachedExactlyAtThirtyAccountsAndFiveOfEachOutcome() {
        Comparison atTheMinimum = LiftStatistics.compare(Group.of(30, 25), Group.of(30, 5));
        assertEquals(LiftStatistics.LIFTS, atTheMinimum.verdict());
        assertTrue(atTheMinimum.ci95().lower() > 0);

        // Only 4 treated accounts did not convert.
        Comparison fewNonConversions = LiftStatistics.compare(Group.of(30, 26), Group.of(30, 5));
        assertEquals(LiftStatistics.NOT_ENOUGH_DATA, fewNonConversions.verdict());
        assertNull(fewNonConversions.zScore());
        assertEquals(26.0 / 30 - 5.0 / 30, fewNonConversions.absoluteLift(), 1e-12);
    }

    @Test
    void aHeldOutRateOfZeroHasAnAbsoluteButNoRelativeLift() {
        Comparison comparison = LiftStatistics.compare(Group.of(100, 20), Group.of(100, 0));
        assertEquals(0.2, comparison.absoluteLift(), 1e-12);
        assertNull(comparison.relativeLift());
    }

    @Test
    void theIntervalStaysWithinMinusOneAndOneAtExtremeRates() {
        // 1 of 40 against 39 of 40: the Wald interval would pass below -1 (Newcombe's argument for the score interval).
        Interval interval = LiftStatistics.newcombeInterval(1, 40, 39, 40, LiftStatistics.Z_95);
        assertTrue(interval.lower() >= -1, "lower " + interval.lower());
        assertTrue(interval.upper() < -0.8, "upper " + interval.upper());
        Interval wilson = LiftStatistics.wilsonInterval(0, 40, LiftStatistics.Z_95);
        assertEquals(0, wilson.lower(), 1e-12);
        assertTrue(wilson.upper() > 0 && wilson.upper() < 0.1, "upper " + wilson.upper());
    }

    @Test
    void theZScoreIsZeroWhenNobodyOrEverybodyConverted() {
        assertEquals(0, LiftStatistics.zScore(0, 50, 0, 60), 0);
        assertEquals(0, LiftStatistics.zScore(50, 50, 60, 60), 0);
    }
}
