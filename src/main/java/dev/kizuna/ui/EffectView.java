package dev.kizuna.ui;

import dev.kizuna.reports.LiftStatistics;
import java.util.Locale;

/**
 * A rule's effect as the rules page draws it: each group's conversion rate as a bar (its width
 * in the SVG's units, 0 to {@link #BAR_WIDTH}), the lift in rate points, the 95% interval and the verdict.
 */
record EffectView(
        String treatedRate,
        String heldOutRate,
        long treatedAccounts,
        long treatedConverted,
        long heldOutAccounts,
        long heldOutConverted,
        int treatedBar,
        int heldOutBar,
        String lift,
        String interval,
        String verdict,
        String verdictClass) {

    static final int BAR_WIDTH = 240;
    /** Room left of the bars for the group names, and right of them for the rate. */
    static final int BAR_X = 100;

    static final int CHART_WIDTH = BAR_X + BAR_WIDTH + 70;

    public int treatedLabelX() {
        return BAR_X + treatedBar + 6;
    }

    public int heldOutLabelX() {
        return BAR_X + heldOutBar + 6;
    }

    static EffectView of(LiftStatistics.Comparison comparison) {
        var treated = comparison.treated();
        var heldOut = comparison.heldOut();
        String verdictClass = switch (comparison.verdict()) {
            case LiftStatistics.LIFTS -> "good";
            case LiftStatistics.LOWERS -> "bad";
            default -> "neutral";
        };
        String interval = comparison.ci95() == null
                ? "–"
                : String.format(
                        Locale.ROOT,
                        "%+.1f … %+.1f pts",
                        comparison.ci95().lower() * 100,
                        comparison.ci95().upper() * 100);
        String lift = comparison.absoluteLift() == null
                ? "–"
                : String.format(Locale.ROOT, "%+.1f pts", comparison.absoluteLift() * 100)
                        + (comparison.relativeLift() == null
                                ? ""
                                : String.format(Locale.ROOT, " (%+.0f%%)", comparison.relativeLift() * 100));
        return new EffectView(
                Html.percent(treated.rate()),
                Html.percent(heldOut.rate()),
                treated.accounts(),
                treated.converted(),
                heldOut.accounts(),
                heldOut.converted(),
                bar(treated.rate()),
                bar(heldOut.rate()),
                lift,
                interval,
                comparison.verdict(),
                verdictClass);
    }

    private static int bar(Double rate) {
        return rate == null ? 0 : (int) Math.round(rate * BAR_WIDTH);
    }
}
