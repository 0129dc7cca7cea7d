package dev.kizuna.reports;

/**
 * The effect of a rule as a comparison of two proportions: the conversion rate of treated
 * accounts against that of held-out accounts. Pure arithmetic, no state.
 *
 * <ul>
 *   <li>lift: p1 - p2 (absolute, in rate points) and (p1 - p2) / p2 (relative);</li>
 *   <li>95% confidence interval of p1 - p2: Newcombe's hybrid score interval (his "method 10",
 *       Statistics in Medicine 1998), built from the Wilson score interval of each rate; unlike the
 *       Wald interval it stays inside [-1, 1] and keeps its coverage for small counts and extreme rates;</li>
 *   <li>p-value: two-sided two-proportion z-test with the pooled rate;</li>
 *   <li>minimum sample: at least {@value #MIN_ACCOUNTS} accounts in each group and at least
 *       {@value #MIN_OUTCOMES} converted and {@value #MIN_OUTCOMES} not converted in each group (the usual
 *       condition for the normal approximation). Below it the verdict is "not enough data yet" and no
 *       interval or p-value is given.</li>
 * </ul>
 */
public final class LiftStatistics {

    public static final int MIN_ACCOUNTS = 30;
    public static final int MIN_OUTCOMES = 5;
    /** The 97.5th percentile of the standard normal distribution. */
    static final double Z_95 = 1.959963984540054;

    static final double SIGNIFICANCE = 0.05;

    public static final String NOT_ENOUGH_DATA = "not enough data yet";
    public static final String LIFTS = "lifts the goal";
    public static final String LOWERS = "lowers the goal";
    public static final String NO_CLEAR_DIFFERENCE = "no significant difference";

    private LiftStatistics() {}

    /** Accounts in a group and how many of them converted. */
    public record Group(long accounts, long converted, Double rate) {
        public static Group of(long accounts, long converted) {
            return new Group(accounts, converted, accounts == 0 ? null : (double) converted / accounts);
        }

        boolean enough() {
            return accounts >= MIN_ACCOUNTS && converted >= MIN_OUTCOMES && accounts - converted >= MIN_OUTCOMES;
        }
    }

    public record Interval(double lower, double upper) {
        public boolean covers(double value) {
            return lower <= value && value <= upper;
        }
    }

    /**
     * Treated against held out. Lifts are null when a rate is undefined (an empty group) or the
     * relative lift would divide by zero; interval, z and p-value are null below the minimum sample.
     */
    public record Comparison(
            Group treated,
            Group heldOut,
            Double absoluteLift,
            Double relativeLift,
            Interval ci95,
            Double zScore,
            Double pValue,
            String verdict) {}

    public static Comparison compare(Group treated, Group heldOut) {
        Double absolute = treated.rate() == null || heldOut.rate() == null ? null : treated.rate() - heldOut.rate();
        Double relative = absolute == null || heldOut.rate() == 0 ? null : absolute / heldOut.rate();
        if (!treated.enough() || !heldOut.enough()) {
            return new Comparison(treated, heldOut, absolute, relative, null, null, null, NOT_ENOUGH_DATA);
        }
        double z = zScore(treated.converted(), treated.accounts(), heldOut.converted(), heldOut.accounts());
        double p = twoSidedPValue(z);
        String verdict = p >= SIGNIFICANCE ? NO_CLEAR_DIFFERENCE : absolute > 0 ? LIFTS : LOWERS;
        return new Comparison(
                treated,
                heldOut,
                absolute,
                relative,
                newcombeInterval(
                        treated.converted(), treated.accounts(), heldOut.converted(), heldOut.accounts(), Z_95),
                z,
                p,
                verdict);
    }

    /** Pooled two-proportion z statistic of x1/n1 - x2/n2; 0 when nobody or everybody converted. */
    public static double zScore(long x1, long n1, long x2, long n2) {
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        double pooled = (double) (x1 + x2) / (n1 + n2);
        double standardError = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        return standardError == 0 ? 0 : (p1 - p2) / standardError;
    }

    public static double twoSidedPValue(double z) {
        return Math.min(1, 2 * upperTail(Math.abs(z)));
    }

    /** Wilson's score interval for the proportion x/n. */
    public static Interval wilsonInterval(long x, long n, double z) {
        double p = (double) x / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denominator;
        double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new Interval(Math.max(0, center - half), Math.min(1, center + half));
    }

    /** Newcombe's hybrid score interval for x1/n1 - x2/n2. */
    public static Interval newcombeInterval(long x1, long n1, long x2, long n2, double z) {
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        Interval first = wilsonInterval(x1, n1, z);
        Interval second = wilsonInterval(x2, n2, z);
        double difference = p1 - p2;
        double lower = difference - Math.sqrt(square(p1 - first.lower()) + square(second.upper() - p2));
        double upper = difference + Math.sqrt(square(first.upper() - p1) + square(p2 - second.lower()));
        return new Interval(lower, upper);
    }

    /** The standard normal distribution function. */
    public static double normalCdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /** P(Z > z), computed directly so that small tails keep their precision. */
    static double upperTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /**
     * The complementary error function by the Chebyshev fit of Press et al. (Numerical Recipes,
     * "erfcc"): relative error below 1.2e-7 for every x, so tails far out stay accurate too.
     */
    static double erfc(double x) {
        double t = 1 / (1 + 0.5 * Math.abs(x));
        double polynomial = -1.26551223
                + t
                        * (1.00002368
                                + t
                                        * (0.37409196
                                                + t
                                                        * (0.09678418
                                                                + t
                                                                        * (-0.18628806
                                                                                + t
                                                                                        * (0.27886807
                                                                                                + t
                                                                                                        * (-1.13520398
                                                                                                                + t
                                                                                                                        * (1.48851587
                                                                                                                                + t
                                                                                                                                        * (-0.82215223
                                                                                                                                                + t
                                                                                                                                                        * 0.17087277))))))));
        double value = t * Math.exp(-x * x + polynomial);
        return x >= 0 ? value : 2 - value;
    }

    private static double square(double value) {
        return value * value;
    }
}
