package loopbench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report's summary, written from the numbers. Each sentence on a load compares the runtimes
 * either at one offered rate that every runtime ran (tail latency, throughput), or by the highest
 * rate each sustained within the load's latency objective (capacity): never latencies taken at
 * different rates side by side. Then how the runtimes' micro-operation costs compare with each
 * other and with Node.
 */
public final class Findings {
    private Findings() {}

    public static List<String> of(List<LoadGroup> groups, MicroSuite micro) {
        List<String> lines = new ArrayList<>();
        for (LoadGroup g : groups) {
            String p99 = tailLatency(g);
            if (p99 != null) {
                lines.add(p99);
            }
            String cap = capacity(g);
            if (cap != null) {
                lines.add(cap);
            }
            String thr = throughput(g);
            if (thr != null) {
                lines.add(thr);
            }
        }
        if (micro != null && !micro.ops().isEmpty()) {
            lines.addAll(micro(micro));
        }
        return lines;
    }

    /**
     * Latencies side by side, only ever at one offered rate: the highest rate that every runtime ran
     * and sustained ({@link LoadGroup#commonSustainedRate}). Latencies taken at different rates say
     * nothing about the models (a pool that saturates at 1/50th of the rate would read as the
     * winner), so without such a rate no latencies are compared, and the sentence says why.
     */
    static String tailLatency(LoadGroup g) {
        if (g.byRuntime().size() < 2) {
            return null;
        }
        double rate = g.commonSustainedRate();
        if (Double.isNaN(rate)) {
            return g.load()
                    + ": no offered rate was run and sustained by every runtime, so no latencies are compared here"
                    + (g.byFraction()
                            ? " (each runtime ran at shares of its own estimated capacity" + capacities(g) + ")"
                            : "")
                    + ".";
        }
        Map<String, LoadPoint> at = g.at(rate);
        List<LoadPoint> pts = at.values().stream()
                .filter(p -> Double.isFinite(p.micros("latency.p99")))
                .sorted(Comparator.comparingDouble(p -> p.micros("latency.p99")))
                .toList();
        if (pts.size() < 2) {
            return null;
        }
        String each = at.values().stream()
                .map(p -> p.runtime() + " " + NumberText.ms(p.micros("latency.p99")) + " ms")
                .collect(Collectors.joining(", "));
        LoadPoint best = pts.get(0);
        LoadPoint next = pts.get(1);
        return g.load() + " at " + NumberText.rate(rate) + " req/s, which " + every(at.size()) + " sustain: p99 " + each
                + "; " + best.runtime() + " is lowest, "
                + NumberText.times(next.micros("latency.p99") / best.micros("latency.p99"))
                + " below " + next.runtime() + ".";
    }

    /**
     * Capacities at the objective, side by side: the highest offered rate each runtime sustained with
     * p99 within it, a rate per runtime and one latency, the objective's. Only for a ladder, whose
     * runtimes were offered the same rates.
     */
    static String capacity(LoadGroup g) {
        if (g.byRuntime().size() < 2 || g.byFraction() || g.rule() == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        g.byRuntime().keySet().forEach(rt -> {
            LoadPoint p = g.atSloCapacity(rt);
            parts.add(rt + " " + (p == null ? "none of the rates" : NumberText.rate(p.rateValue())));
        });
        return g.load() + ", the highest offered rate sustained with p99 within "
                + NumberText.plain(g.rule().sloP99Millis()) + " ms: " + String.join(", ", parts) + " req/s.";
    }

    /** Completed requests per second at the highest rate every runtime was offered, whether it kept up or not. */
    static String throughput(LoadGroup g) {
        if (g.byRuntime().size() < 2) {
            return null;
        }
        double rate = g.highestCommonRate();
        if (Double.isNaN(rate)) {
            return null;
        }
        Map<String, LoadPoint> at = g.at(rate);
        List<LoadPoint> pts = at.values().stream()
                .filter(p -> Double.isFinite(p.throughput()))
                .toList();
        if (pts.size() < 2) {
            return null;
        }
        return g.load() + " at " + NumberText.rate(rate) + " req/s, the highest rate " + every(at.size())
                + " were offered: completed "
                + pts.stream()
                        .map(p -> p.runtime() + " " + NumberText.sig(p.throughput()))
                        .collect(Collectors.joining(", "))
                + " req/s.";
    }

    private static String every(int n) {
        return n == 2 ? "both" : "all " + (n == 3 ? "three" : String.valueOf(n));
    }

    /** "; estimated capacity: loop 11,200, loom 4,670 req/s": a fraction run's rate is its share of this. */
    private static String capacities(LoadGroup g) {
        List<String> parts = new ArrayList<>();
        g.byRuntime()
                .forEach((rt, pts) -> pts.stream()
                        .filter(p -> p.loadFraction() > 0 && Double.isFinite(p.rateValue()))
                        .findFirst()
                        .ifPresent(p -> parts.add(rt + " " + NumberText.rate(p.rateValue() / p.loadFraction()))));
        return parts.isEmpty() ? "" : "; estimated capacity: " + String.join(", ", parts) + " req/s";
    }

    static List<String> micro(MicroSuite suite) {
        List<String> lines = new ArrayList<>();
        List<String> jvm = suite.jvmRuntimes();
        Map<String, Integer> wins = new LinkedHashMap<>();
        int contested = 0;
        for (MicroSuite.Op op : suite.ops()) {
            List<String> ran =
                    jvm.stream().filter(rt -> Double.isFinite(op.nanos(rt))).toList();
            if (ran.size() >= 2) {
                contested++;
                String fastest =
                        ran.stream().min(Comparator.comparingDouble(op::nanos)).orElseThrow();
                wins.merge(fastest, 1, Integer::sum);
            }
        }
        if (contested > 0) {
            int total = contested;
            lines.add("Micro-benchmarks: fastest runtime per operation: "
                    + wins.entrySet().stream()
                            .sorted(Map.Entry.<String, Integer>comparingByValue()
                                    .reversed())
                            .map(e -> e.getKey() + " on " + e.getValue() + " of " + total)
                            .collect(Collectors.joining(", "))
                    + " operations.");
        }
        if (suite.nodeVersion() != null) {
            List<String> parts = new ArrayList<>();
            for (String rt : jvm) {
                double logSum = 0;
                int n = 0;
                for (MicroSuite.Op op : suite.ops()) {
                    double ratio = op.nanos(rt) / op.nodeNanos();
                    if (Double.isFinite(ratio) && ratio > 0) {
                        logSum += Math.log(ratio);
                        n++;
                    }
                }
                if (n > 0) {
                    double g = Math.exp(logSum / n);
                    parts.add(
                            rt + " " + (g >= 1 ? NumberText.times(g) + " slower" : NumberText.times(1 / g) + " faster")
                                    + " (" + n + " ops)");
                }
            }
            if (!parts.isEmpty()) {
                lines.add("Against Node " + suite.nodeVersion() + " (geometric mean of the ns/op ratios): "
                        + String.join(", ", parts) + ".");
            }
        }
        return lines;
    }
}
