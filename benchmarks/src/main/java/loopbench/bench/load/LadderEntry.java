package loopbench.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import loopbench.bench.ladder.Climb;
import loopbench.bench.ladder.PointOutcome;
import loopbench.schema.JmhEntry;
import loopbench.schema.LoadMetric;

/**
 * How a ladder point is run and judged, and a runtime's finished climb as its results.json entry
 * ({@link LoadMetric#CAPACITY_BENCHMARK}): capacity at the objective, saturation, the estimate.
 */
public final class LadderEntry {
    /**
     * Requests a ladder point issues at the least: half again the {@link PointResult#MIN_COMPLETED}
     * its percentiles need, so that Poisson arrivals a few percent short still leave it valid.
     */
    static final double MIN_ISSUED = 1.5 * PointResult.MIN_COMPLETED;

    private LadderEntry() {}

    /** How long a ladder point at {@code rate} runs: {@code seconds}, or longer at a rate too low to fill it. */
    public static double seconds(double rate, double seconds) {
        return Math.max(seconds, Math.ceil(10 * MIN_ISSUED / rate) / 10);
    }

    /** What the ladder's rule needs of a finished point. */
    static PointOutcome outcome(PointResult r) {
        return PointOutcome.measured(
                r.rate,
                r.seconds,
                r.requests,
                r.throughput,
                r.figure("latency.p50") / 1000,
                r.figure("latency.p99") / 1000);
    }

    /** The climb of {@code runtime} under {@code spec}, the estimate it started from and how its points ran. */
    static JmhEntry toJmh(
            LoadSpec spec,
            String runtime,
            Layout layout,
            String arrival,
            String backend,
            Climb climb,
            double estimate) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("runtime", runtime);
        params.put("load", spec.name());
        params.put("layout", layout.id());
        params.put("arrival", arrival);
        params.put("backend", backend);
        params.put(LoadMetric.SLO_PARAM, PointResult.fractionParam(climb.rule().sloP99Millis()));
        params.put(LoadMetric.STOP_PARAM, climb.stop());
        Map<String, JmhEntry.Metric> secondary = new LinkedHashMap<>();
        secondary.put(LoadMetric.SATURATION, JmhEntry.Metric.single(or(climb.saturation()), "ops/s"));
        secondary.put(LoadMetric.ESTIMATE, JmhEntry.Metric.single(estimate, "ops/s"));
        return PointResult.singleShot(
                LoadMetric.CAPACITY_BENCHMARK,
                climb.points().size(),
                null,
                params,
                JmhEntry.Metric.single(or(climb.sloCapacity()), "ops/s"),
                secondary,
                null);
    }

    private static double or(OptionalDouble v) {
        return v.isPresent() ? v.getAsDouble() : Double.NaN;
    }
}
