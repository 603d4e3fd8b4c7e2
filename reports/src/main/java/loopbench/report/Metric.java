package loopbench.report;

import java.util.Arrays;

/**
 * One JMH metric (a primaryMetric or one secondaryMetrics entry): the score, its error and
 * 99.9% confidence interval as JMH computed them (NaN when JMH had too few samples), the unit
 * and every raw sample, flattened over forks.
 */
public record Metric(double score, double error, double low, double high, String unit, double[] raw) {

    /** True when JMH gave a finite error and confidence interval for this metric. */
    public boolean hasConfidence() {
        return Double.isFinite(error) && Double.isFinite(low) && Double.isFinite(high);
    }

    /** The smallest and largest raw sample, or null when there are fewer than two. */
    public double[] rawSpread() {
        double[] finite = Arrays.stream(raw).filter(Double::isFinite).toArray();
        if (finite.length < 2) {
            return null;
        }
        return new double[] {
            Arrays.stream(finite).min().orElseThrow(),
            Arrays.stream(finite).max().orElseThrow()
        };
    }

    @Override
    public String toString() {
        return score + " " + unit + (hasConfidence() ? " ± " + error : "");
    }
}
