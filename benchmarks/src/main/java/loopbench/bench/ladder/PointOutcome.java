package loopbench.bench.ladder;

/**
 * What the ladder's rules need to know of one finished point.
 *
 * @param offered    offered rate, requests per second
 * @param achieved   completed requests per second over the point's length
 * @param p99Millis  p99 latency (coordinated omission corrected), milliseconds; NaN when nothing completed
 */
public record PointOutcome(double offered, double achieved, double p99Millis) {
    /** Kept up: at least {@code share} of the offered rate completed (NaN throughput never keeps up). */
    boolean keptUp(double share) {
        return achieved >= share * offered;
    }

    /** Within the latency objective; a point with no latency measured is not. */
    boolean within(double sloP99Millis) {
        return p99Millis <= sloP99Millis;
    }
}
