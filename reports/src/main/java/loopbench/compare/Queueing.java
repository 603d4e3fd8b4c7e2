package loopbench.compare;

import java.util.Map;
import loopbench.bench.ladder.SaturationRule;
import loopbench.compare.RegressionCheck.Key;
import loopbench.report.Metric;
import loopbench.schema.LoadMetric;

/**
 * What a change of latency at a load point says about the code. A point is a queue, and near
 * saturation a queue turns a small change of capacity into a large change of latency: in M/M/1 a
 * request's time in the system is exponential with mean S / (1 - rho), so every percentile moves
 * with it, and at a fixed arrival rate a service time k S gives the latency ratio
 * R = k (1 - rho) / (1 - k rho) (d ln W / d ln S = 1 / (1 - rho)). Read backwards, the change of
 * capacity that explains a latency ratio R at utilisation rho is k = R / (1 - rho + rho R): at rho 0.1,
 * 3x the latency is 2.5x the service time; at rho 0.9, 2.7x the latency is 1.07x, the noise of two
 * runs on a shared machine. So {@link RegressionCheck} judges a queueing metric by that k against its
 * threshold. M/M/1 is the conservative choice: heavier-tailed service (M/G/1, Kingman) amplifies more.
 *
 * <p>A point is <em>saturated</em> when its utilisation is 1 or more, or either side fell behind (completed
 * less than {@link SaturationRule#KEEP_UP} of the offered rate): there the queue grows for as long as the
 * point lasts, so its latency measures the point's length, not the code. Its latency is not judged; the
 * ladder's outcome (capacity at the objective, saturation) is, as its own benchmark.
 */
final class Queueing {
    private static final String BUSY = "loop.busy.mean";

    private Queueing() {}

    /** A point's operating state; {@code utilisation} NaN when the run did not record it. */
    record Point(double utilisation, boolean saturated) {
        /** The capacity ratio k that explains the latency ratio {@code ratio} here; the ratio itself when unknown. */
        double capacityRatio(double ratio) {
            if (!Double.isFinite(utilisation)) return ratio;
            return ratio / (1 - utilisation + utilisation * ratio);
        }

        String utilisationText() {
            return String.format(java.util.Locale.ROOT, "%.2f", utilisation);
        }
    }

    /** Whether the metric is a time spent queueing at the point: latency (corrected or not) and loop lag. */
    static boolean queueing(String metric) {
        LoadMetric m = metric == null ? null : LoadMetric.of(metric);
        return m == LoadMetric.LATENCY || m == LoadMetric.UNCORRECTED || m == LoadMetric.LAG;
    }

    /**
     * The baseline's point as it ran (the state the change is judged from): its utilisation is the
     * busiest of what the run measured, the loops' busy fraction and the offered rate over the runtime
     * model's capacity bound for the measured service times; saturated as the class doc says.
     */
    static Point of(Map<Key, Metric> base, Map<Key, Metric> cur, Key key) {
        double rate = rate(key);
        double busy = score(base, key, BUSY) / 100;
        double bound = score(base, key, LoadMetric.MODEL_BOUND.pattern);
        double rho = Double.NaN;
        if (Double.isFinite(busy)) rho = busy;
        if (bound > 0 && rate > 0) rho = Double.isNaN(rho) ? rate / bound : Math.max(rho, rate / bound);
        boolean behind = rate > 0
                && (score(base, key, RegressionCheck.PRIMARY) < SaturationRule.KEEP_UP * rate
                        || score(cur, key, RegressionCheck.PRIMARY) < SaturationRule.KEEP_UP * rate);
        return new Point(rho, behind || rho >= 1);
    }

    private static double score(Map<Key, Metric> side, Key key, String metric) {
        Metric m = side.get(new Key(key.benchmark(), key.mode(), key.params(), metric));
        return m == null ? Double.NaN : m.score();
    }

    /** The offered rate from a load point's parameters, NaN when there is none. */
    static double rate(Key key) {
        for (String kv : key.params().split(",")) {
            if (kv.startsWith("rate=")) {
                try {
                    return Double.parseDouble(kv.substring("rate=".length()));
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
        }
        return Double.NaN;
    }

    /** The ladder a point belongs to: its key without the offered rate (one load, runtime and metric). */
    static Key ladder(Key key) {
        String params = java.util.Arrays.stream(key.params().split(","))
                .filter(kv -> !kv.startsWith("rate="))
                .collect(java.util.stream.Collectors.joining(","));
        return new Key(key.benchmark(), key.mode(), params, key.metric());
    }
}
