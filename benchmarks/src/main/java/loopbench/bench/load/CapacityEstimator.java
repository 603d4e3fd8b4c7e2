package loopbench.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import loopbench.bench.backend.BackendConfig;

/**
 * Estimates how many requests per second a runtime sustains under a load: a closed loop that keeps
 * K requests in flight, for K = 16, 32, 64, ... while throughput still grows (short steps), then
 * lets the backlog fall back to the best K and measures it once more for four times as long, and
 * takes that rate of successful requests (the best of several noisy short steps, or one that counts a
 * draining backlog, would overestimate), capped by an analytical CPU ceiling ({@link #cpuBound}). A step whose errors exceed 1% (a bounded
 * pool refusing work) ends the search. The feeder thread spins while it waits for room, as the open-loop generator
 * spins near its intended starts at high rates, so the estimate already pays for a busy generator
 * on the same machine.
 */
final class CapacityEstimator {
    record Estimate(double capacity, int concurrency, List<String> steps) {}

    private CapacityEstimator() {}

    static Estimate estimate(
            String runtime,
            LoadSpec spec,
            Layout layout,
            int loops,
            int poolThreads,
            double stepSeconds,
            int maxConcurrency,
            long seed,
            BackendConfig backend)
            throws InterruptedException {
        LatencyRecorder rec = new LatencyRecorder(NanoClock.SYSTEM);
        Feeder ctx = new Feeder(new RequestHandler(spec), rec);
        SplittableRandom draw = new SplittableRandom(seed);
        List<String> steps = new ArrayList<>();
        double best = 0;
        int bestK = 0;
        int flat = 0;
        double capacity = 0;
        LoopSet set = new LoopSet(
                runtime, layout, loops, poolThreads, 10, Long.MAX_VALUE, rec, backend.forCalls(spec.backendCalls()));
        try {
            long stepNanos = (long) (stepSeconds * 1e9);
            for (int k = 16; ; k = Math.min(maxConcurrency, k * 2)) {
                double[] step = step(set, rec, ctx, draw, spec, k, stepNanos);
                steps.add(describe(k, step));
                if (step[1] > 0.01 * Math.max(1, step[0] + step[1])) break;
                if (step[2] > best * 1.03) {
                    best = step[2];
                    bestK = k;
                    flat = 0;
                } else if (++flat >= 2) {
                    break;
                }
                if (k >= maxConcurrency) break;
            }
            capacity = best;
            if (bestK > 0) {
                // The search keeps the best of several short, noisy steps, and a step that starts with a deeper backlog
                // (left by a larger K) counts that backlog draining as throughput. So: let the backlog fall to the best
                // K,
                // then measure it once more, for four times as long.
                long settle = System.nanoTime() + 5_000_000_000L;
                while (ctx.issued - ctx.refused - rec.done() > bestK && System.nanoTime() - settle < 0) {
                    LockSupport.parkNanos(200_000);
                }
                double[] confirm = step(set, rec, ctx, draw, spec, bestK, 4 * stepNanos);
                steps.add("confirm " + describe(bestK, confirm));
                if (confirm[1] <= 0.01 * Math.max(1, confirm[0] + confirm[1]) && confirm[2] > 0) capacity = confirm[2];
            }
            long drainDeadline = System.nanoTime() + 10_000_000_000L;
            while (ctx.issued - ctx.refused - rec.done() > 0 && System.nanoTime() - drainDeadline < 0) {
                LockSupport.parkNanos(1_000_000);
            }
        } finally {
            set.close();
        }
        double cpuBound = cpuBound(spec);
        if (cpuBound < capacity) {
            steps.add(String.format(Locale.ROOT, "CPU bound %.0f/s binds", cpuBound));
            capacity = cpuBound;
        }
        return new Estimate(capacity, bestK, steps);
    }

    /**
     * The analytical ceiling: the cores left once the generator has its share (half a core: it spins
     * near each intended start) divided by the load's mean CPU work per request. A closed loop with a
     * slow minority of requests (mixed: 10% take 2 ms, offloaded) takes seconds to reach its steady
     * state, as the slow ones pile up in flight; until then it counts the fast ones and overestimates.
     * The ceiling ignores the loop's own cost per request, so it binds only for CPU-heavy loads.
     */
    static double cpuBound(LoadSpec spec) {
        double cores = Math.max(0.5, Runtime.getRuntime().availableProcessors() - 0.5);
        double micros = spec.meanCpuMicros();
        return micros <= 0 ? Double.MAX_VALUE : cores * 1e6 / micros;
    }

    /** Keeps {@code k} requests in flight for {@code stepNanos}; returns {ok, errors, ok per second} over its last 2/3. */
    /** The feeder's own counts (feeder thread only). */
    private static final class Feeder {
        final RequestHandler handler;
        final LatencyRecorder rec;
        long issued;
        long refused;
        long doneSeen;

        Feeder(RequestHandler handler, LatencyRecorder rec) {
            this.handler = handler;
            this.rec = rec;
        }
    }

    private static double[] step(
            LoopSet set, LatencyRecorder rec, Feeder ctx, SplittableRandom draw, LoadSpec spec, int k, long stepNanos) {
        long stepStart = System.nanoTime();
        long measureFrom = stepStart + stepNanos / 3;
        long stepEnd = stepStart + stepNanos;
        long okAtStart = -1;
        long errAtStart = -1;
        long now;
        while ((now = System.nanoTime()) - stepEnd < 0) {
            if (okAtStart < 0 && now - measureFrom >= 0) {
                okAtStart = rec.completed();
                errAtStart = rec.errors() + ctx.refused;
            }
            if (ctx.issued - ctx.refused - ctx.doneSeen >= k) ctx.doneSeen = rec.done();
            if (ctx.issued - ctx.refused - ctx.doneSeen < k) {
                boolean heavy = spec.heavyShare() > 0 && draw.nextDouble() < spec.heavyShare();
                Request r = new Request(now, now, heavy, ctx.handler);
                ctx.issued++;
                try {
                    set.submit(r);
                } catch (RuntimeException e) {
                    ctx.refused++;
                }
            } else {
                Thread.onSpinWait();
            }
        }
        double secs = (stepEnd - measureFrom) / 1e9;
        long ok = rec.completed() - Math.max(0, okAtStart);
        long err = rec.errors() + ctx.refused - Math.max(0, errAtStart);
        return new double[] {ok, err, ok / secs};
    }

    private static String describe(int k, double[] step) {
        return String.format(
                Locale.ROOT, "K=%d: %.0f/s%s", k, step[2], step[1] > 0 ? " (" + (long) step[1] + " errors)" : "");
    }

    /** Rounds to three significant digits, so that rates read well and repeat across runs of similar capacity. */
    static double round3(double v) {
        if (!(v > 0)) return v;
        double scale = Math.pow(10, Math.floor(Math.log10(v)) - 2);
        return Math.round(v / scale) * scale;
    }
}
