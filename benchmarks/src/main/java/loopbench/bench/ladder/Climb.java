package loopbench.bench.ladder;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One runtime's climb up one load's ladder: the points in order, and what they show. The harness
 * runs the rung {@link #next()} names, hands its outcome to {@link #record}, and stops when
 * {@link #done()}: the rule says the runtime saturated, or the ladder has no rung left.
 *
 * <p>A climb may go past the ladder's top by up to {@code extraRungs} grid rates
 * ({@link RateLadder#gridRateAbove}), one at a time, while the runtime still keeps up: a default
 * ladder ends just past the highest capacity estimate, and an estimate can be low (io-heavy loop:
 * estimated about 110k req/s, sustained the top rung at 140k), which would leave its saturation
 * unseen. An explicit ladder ({@code bench --rates}) is climbed as given: {@code extraRungs} 0.
 *
 * <pre>{@code
 * Climb climb = new Climb(ladder, new SaturationRule(50), 3);
 * while (!climb.done()) climb.record(runPointAt(climb.next()));
 * climb.saturation();   // where it saturated, if it did; climb.stop() says why
 * climb.sloCapacity();  // the highest rate sustained within 50 ms p99, if any
 * }</pre>
 *
 * <p>Not thread-safe: one climb belongs to the thread that runs its points.
 */
public final class Climb {
    /** {@link #stop()} when the ladder ran out before the runtime saturated. */
    public static final String TOP_OF_LADDER = "top-of-ladder";

    /**
     * {@link #stop()} when the ladder ran out at a rung where the runtime was overloaded: that rung
     * is its saturation, seen once rather than twice (no rung was left to confirm it). Without this,
     * a runtime overloaded only at the top rung (io-heavy loop at 140k req/s: 119k completed, p99
     * 266 ms) was reported as never saturating.
     */
    public static final String TOP_RUNG_OVERLOADED = "top-rung-overloaded";

    private final RateLadder ladder;
    private final SaturationRule rule;
    private final int extraRungs;
    private final List<PointOutcome> points = new ArrayList<>();

    /** A climb of {@code ladder} as given. */
    public Climb(RateLadder ladder, SaturationRule rule) {
        this(ladder, rule, 0);
    }

    /** A climb that may go up to {@code extraRungs} grid rates past the ladder's top. */
    public Climb(RateLadder ladder, SaturationRule rule, int extraRungs) {
        if (extraRungs < 0) throw new IllegalArgumentException("extraRungs must be >= 0, was " + extraRungs);
        this.ladder = ladder;
        this.rule = rule;
        this.extraRungs = extraRungs;
    }

    public RateLadder ladder() {
        return ladder;
    }

    public SaturationRule rule() {
        return rule;
    }

    /** The rate of the next rung to run. */
    public double next() {
        if (done()) throw new IllegalStateException("the climb is over: " + stop());
        int i = points.size();
        return i < ladder.size()
                ? ladder.rate(i)
                : RateLadder.gridRateAbove(points.get(i - 1).offered());
    }

    /** The outcome of the point at {@link #next()}'s rate. */
    public void record(PointOutcome p) {
        if (p.offered() != next()) {
            throw new IllegalArgumentException("the next rung is " + next() + " req/s, not " + p.offered());
        }
        points.add(p);
    }

    /**
     * True once the runtime saturated, or every rung ran and it may go no higher: the extra rungs are
     * used up, or it was overloaded at the last one with none left to confirm it.
     */
    public boolean done() {
        return rule.stop(points) || ranOut();
    }

    /** Every rung of the ladder ran, and the rungs past it are used up. */
    private boolean ranOut() {
        return points.size() >= ladder.size() + extraRungs;
    }

    public List<PointOutcome> points() {
        return List.copyOf(points);
    }

    /** The offered rate at which the runtime saturated; empty while it has not. */
    public OptionalDouble saturation() {
        OptionalDouble s = rule.saturation(points);
        if (s.isPresent() || !overloadedAtTheTop()) return s;
        return OptionalDouble.of(points.get(points.size() - 1).offered());
    }

    private boolean overloadedAtTheTop() {
        return ranOut() && rule.overloaded(points.get(points.size() - 1));
    }

    /**
     * Why the climb ended: {@link SaturationRule#why} of the saturation point ({@code fell-behind},
     * {@code p99-above-slo} or both), {@link #TOP_RUNG_OVERLOADED}, {@link #TOP_OF_LADDER}, or null
     * while it goes on.
     */
    public String stop() {
        if (!rule.stop(points) && overloadedAtTheTop()) return TOP_RUNG_OVERLOADED;
        OptionalDouble s = saturation();
        if (s.isPresent()) {
            return points.stream()
                    .filter(p -> p.offered() == s.getAsDouble())
                    .map(rule::why)
                    .findFirst()
                    .orElseThrow();
        }
        return ranOut() ? TOP_OF_LADDER : null;
    }

    /** {@link SaturationRule#sloCapacity} of the points so far. */
    public OptionalDouble sloCapacity() {
        return rule.sloCapacity(points);
    }
}
