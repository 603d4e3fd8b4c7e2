package loopbench.bench.ladder;

import java.util.List;
import java.util.OptionalDouble;

/**
 * When a runtime stops climbing the ladder, and where it saturated.
 *
 * <p>A point is <em>overloaded</em> when the runtime completed less than {@link #KEEP_UP} of the
 * requests due ({@link PointOutcome#measured}), or its p99 exceeded the load's latency objective. The runtime stops after two
 * overloaded points in a row: one alone may be a pause of the shared machine, and a runtime that
 * recovers at the next rate was not saturated. Its saturation is the first of those two rates.
 *
 * <p>Capacity at the objective ({@link #sloCapacity}) is stricter than "not overloaded": the highest
 * offered rate at which at least {@link #SUSTAINED} of the requests due completed and p99 stayed within the
 * objective. A runtime that never met it has no capacity, not a capacity of zero.
 *
 * @param sloP99Millis the load's latency objective: p99 at most this many milliseconds
 */
public record SaturationRule(double sloP99Millis) {
    /** Below this share of the offered rate completed, a point is overloaded. */
    public static final double KEEP_UP = 0.95;
    /** At least this share of the offered rate must complete for a point to count toward capacity. */
    public static final double SUSTAINED = 0.99;
    /** Overloaded points in a row that end a runtime's climb. */
    public static final int STOP_AFTER = 2;

    public SaturationRule {
        if (!(sloP99Millis > 0) || Double.isInfinite(sloP99Millis)) {
            throw new IllegalArgumentException(
                    "the p99 objective must be a positive number of milliseconds, was " + sloP99Millis);
        }
    }

    public boolean overloaded(PointOutcome p) {
        return !p.keptUp(KEEP_UP) || !p.within(sloP99Millis);
    }

    /** Sustained: at least {@link #SUSTAINED} completed with p99 within the objective; what capacity counts. */
    public boolean sustained(PointOutcome p) {
        return p.keptUp(SUSTAINED) && p.within(sloP99Millis);
    }

    /** Why a point is overloaded, as results.json's {@code stop} parameter says it; null when it is not. */
    public String why(PointOutcome p) {
        boolean behind = !p.keptUp(KEEP_UP);
        boolean slow = !p.within(sloP99Millis);
        if (behind && slow) return FELL_BEHIND + "+" + ABOVE_SLO;
        return behind ? FELL_BEHIND : slow ? ABOVE_SLO : null;
    }

    /** {@link #why}: under {@link #KEEP_UP} of the requests due completed. */
    public static final String FELL_BEHIND = "fell-behind";
    /** {@link #why}: p99 above the objective. */
    public static final String ABOVE_SLO = "p99-above-slo";

    /** True when the points so far (in ladder order) end the climb: the last {@link #STOP_AFTER} are overloaded. */
    public boolean stop(List<PointOutcome> points) {
        if (points.size() < STOP_AFTER) return false;
        for (PointOutcome p : points.subList(points.size() - STOP_AFTER, points.size())) {
            if (!overloaded(p)) return false;
        }
        return true;
    }

    /** The offered rate at which the climb's final run of overloaded points began; empty if it never stopped. */
    public OptionalDouble saturation(List<PointOutcome> points) {
        if (!stop(points)) return OptionalDouble.empty();
        int i = points.size() - 1;
        while (i > 0 && overloaded(points.get(i - 1))) i--;
        return OptionalDouble.of(points.get(i).offered());
    }

    /** The highest offered rate sustained ({@link #SUSTAINED} completed) with p99 within the objective. */
    public OptionalDouble sloCapacity(List<PointOutcome> points) {
        OptionalDouble best = OptionalDouble.empty();
        for (PointOutcome p : points) {
            if (sustained(p) && (best.isEmpty() || p.offered() > best.getAsDouble())) {
                best = OptionalDouble.of(p.offered());
            }
        }
        return best;
    }
}
