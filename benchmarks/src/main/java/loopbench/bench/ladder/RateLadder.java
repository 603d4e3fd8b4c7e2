package loopbench.bench.ladder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The offered rates (requests per second) of one load's points, the same for every runtime, in
 * ascending order. Each runtime climbs the ladder from the bottom until it saturates
 * ({@link SaturationRule}).
 *
 * <p>A default ladder is cut from one fixed grid, 7 rates per decade (1, 1.4, 1.9, 2.7, 3.7, 5.2,
 * 7.2 times a power of ten: steps of about 1.39x). A fixed grid, rather than rates computed from
 * this run's capacity estimates, means two runs whose estimates differ a little still offer the
 * same rates, so their points can be compared one to one. The cut reaches from low enough that
 * the slowest runtime gets {@code pointsPerRuntime} rates up to just past its estimate, to the
 * first grid rate past the fastest runtime's estimate.
 *
 * <pre>{@code
 * RateLadder ladder = RateLadder.spanning(1_300, 100_000, 5);   // slowest, fastest estimate
 * for (double rate : ladder.rates()) { ... run a point at rate; stop when the rule says so ... }
 * RateLadder fixed = RateLadder.of(List.of(1_000.0, 2_000.0, 5_000.0));   // bench --rates
 * }</pre>
 *
 * @param rates ascending, distinct, positive and finite
 */
public record RateLadder(List<Double> rates) {
    /** One decade of the grid: 10^(k/7) rounded to two significant digits. */
    public static final List<Double> GRID = List.of(1.0, 1.4, 1.9, 2.7, 3.7, 5.2, 7.2);

    /** How far past a runtime's estimate the ladder reaches, so that its saturation is seen, not assumed. */
    static final double PAST = 1.25;

    public RateLadder {
        rates = List.copyOf(rates);
        if (rates.isEmpty()) throw new IllegalArgumentException("a rate ladder needs at least one rate");
        for (int i = 0; i < rates.size(); i++) {
            double r = rates.get(i);
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException(
                        "rate " + (i + 1) + " must be a positive number of requests per second, was " + r);
            }
            if (i > 0 && r <= rates.get(i - 1)) {
                throw new IllegalArgumentException("rates must be given in ascending order without repeats, but rate "
                        + (i + 1) + " (" + fmt(r) + ") follows " + fmt(rates.get(i - 1)));
            }
        }
    }

    /** An explicit ladder ({@code bench --rates}): validated, kept as given. */
    public static RateLadder of(List<Double> rates) {
        return new RateLadder(rates);
    }

    /**
     * The grid's rates from low enough that the slowest runtime has {@code pointsPerRuntime} rates at
     * or below {@link #PAST} times its estimate, up to the first grid rate at or above {@link #PAST}
     * times the fastest runtime's estimate.
     */
    public static RateLadder spanning(double slowestEstimate, double fastestEstimate, int pointsPerRuntime) {
        return spanning(slowestEstimate, fastestEstimate, pointsPerRuntime, Integer.MAX_VALUE);
    }

    /**
     * {@link #spanning(double, double, int)} in at most {@code maxRungs} rates (at least
     * {@code pointsPerRuntime}): the slowest runtime's rates stay consecutive grid rates, where every
     * runtime is compared; above them, when the estimates are far apart, every k-th grid rate counted
     * down from the top, the fewest k that fits. Only the faster runtimes climb there, to find where
     * they saturate, and a coarser step costs less than a longer run.
     */
    public static RateLadder spanning(
            double slowestEstimate, double fastestEstimate, int pointsPerRuntime, int maxRungs) {
        if (!(slowestEstimate > 0) || !(fastestEstimate >= slowestEstimate) || Double.isInfinite(fastestEstimate)) {
            throw new IllegalArgumentException("capacity estimates must satisfy 0 < slowest <= fastest, were "
                    + slowestEstimate + " and " + fastestEstimate);
        }
        if (pointsPerRuntime < 1)
            throw new IllegalArgumentException("pointsPerRuntime must be >= 1, was " + pointsPerRuntime);
        if (maxRungs < pointsPerRuntime)
            throw new IllegalArgumentException(
                    "maxRungs must be at least pointsPerRuntime (" + pointsPerRuntime + "), was " + maxRungs);
        int top = ceilIndex(fastestEstimate * PAST);
        int slowTop = Math.min(ceilIndex(slowestEstimate * PAST), top);
        int bottom = slowTop - (pointsPerRuntime - 1);
        List<Double> rates = new ArrayList<>();
        for (int i = bottom; i <= slowTop; i++) rates.add(gridRate(i));
        int above = top - slowTop;
        int room = maxRungs - rates.size();
        if (above > 0 && room > 0) {
            int stride = Math.ceilDiv(above, room);
            List<Double> upper = new ArrayList<>();
            for (int i = top; i > slowTop; i -= stride) upper.add(0, gridRate(i));
            rates.addAll(upper);
        }
        return new RateLadder(rates);
    }

    /** The rate of grid index {@code i}: index 0 is 1 req/s, 7 is 10 req/s, 28 is 10,000 req/s. */
    static double gridRate(int i) {
        int decade = Math.floorDiv(i, GRID.size());
        double r = GRID.get(Math.floorMod(i, GRID.size())) * Math.pow(10, decade);
        return Math.round(r * 1e6) / 1e6; // 1.4 * 10^3 is 1400.0000000000002 otherwise
    }

    /**
     * The first grid rate above {@code rate}: where a climb goes past a default ladder's top while
     * the runtime still keeps up ({@link Climb}).
     */
    public static double gridRateAbove(double rate) {
        int i = ceilIndex(rate);
        return gridRate(gridRate(i) > rate ? i : i + 1);
    }

    /** The smallest grid index whose rate is at least {@code rate}. */
    static int ceilIndex(double rate) {
        int i = (int) Math.floor(Math.log10(rate) * GRID.size()) - 1;
        while (gridRate(i) < rate) i++;
        return i;
    }

    public int size() {
        return rates.size();
    }

    public double rate(int i) {
        return rates.get(i);
    }

    /** {@code 1,000, 1,400, 1,900 req/s}: for logs and run.json's description. */
    @Override
    public String toString() {
        return String.join(", ", rates.stream().map(RateLadder::fmt).toList()) + " req/s";
    }

    private static String fmt(double r) {
        return r == Math.rint(r) ? String.format(Locale.ROOT, "%,.0f", r) : String.format(Locale.ROOT, "%,.2f", r);
    }
}
