package loopbench.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the harness itself costs, measured with a no-op request completed on the generator's own
 * thread (a direct executor: no loop, no hand-off). Two questions:
 * <ol>
 * <li>Cost per request: generator bookkeeping, the Request, the completion's clock read and both
 *     histogram records. Issued back to back; the figure is wall time per request (target: under
 *     100 ns). The no-op's uncorrected latency is the latency the harness adds to every request.</li>
 * <li>Schedule keeping: the generator alone at a given rate (Poisson) for a while: how late it
 *     submits (start delay percentiles), how many late starts, and how much CPU it burns.</li>
 * </ol>
 */
final class HarnessCost {
    private HarnessCost() {}

    /** A direct executor with a no-op handler: the request completes on the generator's thread as it is submitted. */
    static OpenLoopGenerator.Target direct(LatencySink sink) {
        return r -> {
            r.sink = sink;
            sink.complete(r, true);
        };
    }

    static Map<String, Object> measure(double rate, double seconds, long spinNanos, long lateNanos) {
        Map<String, Object> out = new LinkedHashMap<>();
        double bestPerRequest = Double.MAX_VALUE;
        double noopP50 = 0;
        double noopP99 = 0;
        for (int trial = 0; trial < 5; trial++) {
            LatencyRecorder rec = new LatencyRecorder(NanoClock.SYSTEM);
            LatencySink.Owned sink = rec.ownedSink(null);
            int n = 2_000_000;
            OpenLoopGenerator g = new OpenLoopGenerator(
                    Arrivals.constant(1e9),
                    n,
                    direct(sink),
                    null,
                    rec,
                    Integer.MAX_VALUE,
                    0,
                    1,
                    NanoClock.SYSTEM,
                    spinNanos,
                    lateNanos,
                    Long.MAX_VALUE);
            g.run(0);
            double perRequest = (double) (g.finished - g.start) / g.issued;
            if (perRequest < bestPerRequest) {
                bestPerRequest = perRequest;
                PointHistograms h = new PointHistograms();
                sink.takeInto(h, true);
                noopP50 = h.uncorrected.getValueAtPercentile(50);
                noopP99 = h.uncorrected.getValueAtPercentile(99);
            }
        }
        out.put("perRequestNanos", Math.round(bestPerRequest * 10) / 10.0);
        out.put("perRequestTargetNanos", 100);
        out.put("noopAddedLatencyP50Nanos", noopP50);
        out.put("noopAddedLatencyP99Nanos", noopP99);

        LatencyRecorder rec = new LatencyRecorder(NanoClock.SYSTEM);
        OpenLoopGenerator g = new OpenLoopGenerator(
                Arrivals.poisson(rate, 42),
                (long) (seconds * 1e9),
                direct(rec.ownedSink(null)),
                null,
                rec,
                Integer.MAX_VALUE,
                0,
                1,
                NanoClock.SYSTEM,
                spinNanos,
                lateNanos,
                Long.MAX_VALUE);
        Thread t = Thread.ofPlatform().name("loopbench-harness-generator").start(() -> g.run(1_000_000L));
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("rate", Math.round(rate));
        s.put("seconds", seconds);
        s.put("issued", g.issued);
        s.put("lateStarts", g.lateStarts);
        s.put("lateThresholdUs", lateNanos / 1000);
        s.put("spinUs", spinNanos / 1000);
        s.put("startDelayP50Us", g.startDelay.getValueAtPercentile(50) / 1000.0);
        s.put("startDelayP99Us", g.startDelay.getValueAtPercentile(99) / 1000.0);
        s.put("startDelayP99_9Us", g.startDelay.getValueAtPercentile(99.9) / 1000.0);
        s.put("startDelayMaxUs", g.startDelay.getMaxValue() / 1000.0);
        s.put(
                "generatorCpuShare",
                g.cpuNanos < 0
                        ? Double.NaN
                        : Math.round(1000.0 * g.cpuNanos / (g.finished - g.start + 1_000_000L)) / 1000.0);
        out.put("schedule", s);
        return out;
    }
}
