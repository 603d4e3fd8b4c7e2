package loopbench.bench.load;

import loopbench.bench.backend.BackendConfig;
import loopbench.core.CapacityBound;
import loopbench.core.EventLoops;
import org.HdrHistogram.Histogram;

/**
 * A point's figures on where its latency comes from: service time (waiting = latency - service),
 * each class's measured CPU work beside the load's nominal figure, the loops' busy fraction, and
 * the runtime model's capacity bound computed from the measured service times.
 */
final class ServiceFigures {
    private ServiceFigures() {}

    static void add(PointResult r, PointHistograms total, double[] busy, LoadRun.Config c, BackendConfig backend) {
        r.addPercentiles("service", total.service, 50, 90, 99, 99.9);
        r.addMean("service", total.service);
        r.add(
                "service.stdev",
                total.service.getTotalCount() == 0 ? Double.NaN : total.service.getStdDeviation() / 1000.0,
                "us");
        if (total.workHeavy.getTotalCount() > 0) {
            r.addPercentiles("work.heavy", total.workHeavy, 50, 99);
            r.addMean("work.heavy", total.workHeavy);
        }
        if (total.workLight.getTotalCount() > 0) {
            r.addPercentiles("work.light", total.workLight, 50, 99);
            r.addMean("work.light", total.workLight);
        }
        if (busy.length > 0) {
            double sum = 0;
            double max = 0;
            for (double b : busy) {
                sum += b;
                max = Math.max(max, b);
            }
            r.add("loop.busy.mean", 100 * sum / busy.length, "%");
            r.add("loop.busy.max", 100 * max, "%");
        }
        CapacityBound bound = bound(total, c, backend);
        if (bound != null) {
            r.add("model.bound", bound.perSecond(), "ops/s");
            r.boundLimit = bound.limit();
        }
    }

    /** The runtime's model bound for what this point's requests measured, or null when none completed. */
    static CapacityBound bound(PointHistograms total, LoadRun.Config c, BackendConfig backend) {
        long n = total.service.getTotalCount();
        if (n == 0 || !(total.service.getMean() > 0)) return null;
        LoadSpec spec = c.spec();
        double offloaded =
                (spec.offloadHeavy() ? sum(total.workHeavy) : 0) + (spec.offloadLight() ? sum(total.workLight) : 0);
        int loops = switch (c.layout()) {
            case SINGLE -> 1;
            case PER_CORE -> Math.max(1, c.loops());
            case PER_REQUEST -> Math.max(1, c.inFlightLimit()); // a loop per request in flight
        };
        CapacityBound.Demand demand = new CapacityBound.Demand(
                total.service.getMean() / 1e9,
                offloaded / n / 1e9,
                spec.ioMillis() / 1e3,
                loops,
                Runtime.getRuntime().availableProcessors(),
                c.poolThreads(),
                backend.isTcp() ? backend.connectionsPerLoop() : 0);
        return EventLoops.provider(c.runtime()).capacityBound(demand);
    }

    private static double sum(Histogram h) {
        return h.getTotalCount() == 0 ? 0 : h.getMean() * h.getTotalCount();
    }
}
