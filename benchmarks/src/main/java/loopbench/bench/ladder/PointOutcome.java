package loopbench.bench.ladder;

/**
 * What the ladder's rules need to know of one finished point.
 *
 * @param offered        the rung's offered rate, requests per second
 * @param completedShare completed requests over those due in the point ({@link #measured}); NaN when unknown
 * @param p99Millis      p99 latency (coordinated omission corrected), milliseconds; NaN when nothing completed
 */
public record PointOutcome(double offered, double completedShare, double p99Millis) {
    /**
     * The steady-state correction's ceiling: at most this share of the issued requests are taken to be
     * legitimately in flight at the end of the window. More than that is a backlog, not a pipeline.
     */
    static final double MAX_IN_FLIGHT_SHARE = 0.1;

    /**
     * A point as the harness measured it. Arrivals are Poisson, so a short point issues a few percent
     * more or less than {@code offered x seconds}: the share is taken of the requests actually issued.
     * And a runtime that keeps up still has about rate x p50 requests in flight when the window closes
     * (Little's law), uncounted by a throughput measured over the window: on a 2 s point with a 16 ms
     * median that alone would be 0.8%. So the share is of the requests due: issued less that pipeline,
     * which is capped at {@link #MAX_IN_FLIGHT_SHARE} (a runtime that fell behind has a backlog, and a
     * large median, and must not be excused by it).
     *
     * @param seconds    how long requests were issued
     * @param issued     requests issued
     * @param throughput requests completed within the window, per second
     */
    public static PointOutcome measured(
            double offered, double seconds, double issued, double throughput, double p50Millis, double p99Millis) {
        double inFlight = Double.isFinite(p50Millis) ? Math.min(MAX_IN_FLIGHT_SHARE, p50Millis / 1000 / seconds) : 0;
        double due = issued * (1 - inFlight);
        return new PointOutcome(offered, due > 0 ? throughput * seconds / due : Double.NaN, p99Millis);
    }

    /** A point that failed to run: it counts as overloaded. */
    public static PointOutcome failed(double offered) {
        return new PointOutcome(offered, Double.NaN, Double.NaN);
    }

    /** Kept up: at least {@code share} of the requests due completed (NaN never keeps up). */
    public boolean keptUp(double share) {
        return completedShare >= share;
    }

    /** Within the latency objective; a point with no latency measured is not. */
    public boolean within(double sloP99Millis) {
        return p99Millis <= sloP99Millis;
    }
}
