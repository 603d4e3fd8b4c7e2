package loopbench.bench.load;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * {@code -prof loopbench.bench.load.LoadMetricsProfiler}: adds a {@link LatencyUnderLoad} point's
 * figures to JMH's result as secondary metrics: {@code throughput} (ops/s) and everything
 * {@link PointResult} measures ({@code latency.p99} in us, {@code lateStarts}, {@code lag.p99}, ...).
 */
public final class LoadMetricsProfiler implements InternalProfiler {
    @Override
    public String getDescription() {
        return "loopbench: a load point's achieved throughput, latency, loop-lag and resource figures as secondary metrics";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        LatencyUnderLoad.last = null;
    }

    @Override
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        PointResult r = LatencyUnderLoad.last;
        if (r == null) return List.of();
        List<Result> out = new ArrayList<>();
        out.add(new ScalarResult("throughput", r.throughput, "ops/s", AggregationPolicy.AVG));
        out.add(new ScalarResult("rate", r.rate, "ops/s", AggregationPolicy.AVG));
        for (PointResult.Figure f : r.figures()) {
            out.add(new ScalarResult(f.name(), f.value(), f.unit(), AggregationPolicy.AVG));
        }
        return out;
    }
}
