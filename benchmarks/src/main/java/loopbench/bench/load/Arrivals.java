package loopbench.bench.load;

import java.util.SplittableRandom;

/**
 * Inter-arrival times of an open-loop load: constant (one request every 1/rate) or Poisson
 * (exponentially distributed gaps with mean 1/rate, from a seeded generator so a run can be repeated).
 * Gaps are doubles in nanoseconds; the generator accumulates them in a double so that rounding never
 * drifts the schedule.
 */
public abstract class Arrivals {
    private final double ratePerSecond;

    private Arrivals(double ratePerSecond) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException(
                    "rate must be a positive number of requests per second, was " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    /** The gap to the next request's intended start, in nanoseconds. */
    public abstract double nextGapNanos();

    /** {@code constant} or {@code poisson}. */
    public abstract String kind();

    public static Arrivals constant(double ratePerSecond) {
        return new Arrivals(ratePerSecond) {
            private final double gap = 1e9 / ratePerSecond;

            @Override
            public double nextGapNanos() {
                return gap;
            }

            @Override
            public String kind() {
                return "constant";
            }
        };
    }

    public static Arrivals poisson(double ratePerSecond, long seed) {
        return new Arrivals(ratePerSecond) {
            private final double mean = 1e9 / ratePerSecond;
            private final SplittableRandom random = new SplittableRandom(seed);

            @Override
            public double nextGapNanos() {
                return -Math.log(1.0 - random.nextDouble()) * mean; // 1 - [0,1) is in (0,1]: finite
            }

            @Override
            public String kind() {
                return "poisson";
            }
        };
    }

    public static Arrivals of(String kind, double ratePerSecond, long seed) {
        return switch (kind) {
            case "constant" -> constant(ratePerSecond);
            case "poisson" -> poisson(ratePerSecond, seed);
            default ->
                throw new IllegalArgumentException("unknown arrival process '" + kind + "': use constant or poisson");
        };
    }
}
