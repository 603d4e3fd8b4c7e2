package loopbench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import loopbench.bench.load.LoadSpec;
import loopbench.bench.load.Loads;

/**
 * Where each point's latency comes from: service time (the time a request's handler held its loop)
 * and waiting (mean latency - mean service), each request class's measured CPU work beside the
 * load's nominal figure (calibration drift shows here), the loops' busy fraction, the CPU time of the
 * measured runtime, the generator and the delay backend, and the runtime model's capacity bound from
 * the measured service times. A note says where a runtime's measured capacity falls far below its bound.
 */
final class ServiceTable {
    /** A measured capacity under this share of the model's bound is called out. */
    static final double FAR_BELOW = 0.5;

    private ServiceTable() {}

    /** The table and its notes for one load; nothing when the run predates service times. */
    static List<Report.Block> blocks(LoadGroup g, Map<String, Double> capacity) {
        List<List<String>> rows = new ArrayList<>();
        LoadSpec spec = spec(g.load());
        for (List<LoadPoint> pts : g.byRuntime().values()) {
            for (LoadPoint p : pts) {
                if (Double.isNaN(p.value("service.mean"))) {
                    continue;
                }
                rows.add(List.of(
                        p.runtime(),
                        NumberText.rate(p.rateValue()),
                        NumberText.sig(p.value("service.mean")),
                        NumberText.sig(p.value("service.p99")),
                        NumberText.ms(p.value("latency.mean") - p.value("service.mean")),
                        work(p, "work.heavy", spec == null || spec.heavyShare() == 0 ? null : spec.heavyCpuMicros()),
                        work(p, "work.light", spec == null || spec.heavyShare() == 1 ? null : spec.lightCpuMicros()),
                        percent(p.value("loop.busy.mean")),
                        NumberText.count(p.value("runtime.cpu.ms")),
                        NumberText.count(p.value("generator.cpu.ms")),
                        NumberText.count(p.value("backend.cpu.ms")),
                        NumberText.rate(Math.round(p.value("model.bound")))));
            }
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Report.Block> blocks = new ArrayList<>();
        blocks.add(new Report.Text("Service time is how long a request's handler held its loop (I/O waits "
                + "excluded), in µs; waiting = mean latency - mean service (queueing, and the backend calls' I/O), "
                + "in ms. Work is each request class's CPU work as measured, beside the load's nominal figure. Busy "
                + "is the loops' mean busy fraction (1 - idle in poll); busy above rate x service / loops is loop "
                + "time outside the handlers (dispatching I/O and submissions), which the bound does not count. "
                + "CPU ms: the measured JVM without the generator, the generator thread, the delay backend's "
                + "process. The bound is the runtime model's ceiling (req/s) for the measured service times."));
        blocks.add(new Report.Table(
                List.of(
                        "runtime",
                        "rate (req/s)",
                        "service mean",
                        "service p99",
                        "waiting",
                        "heavy work (µs)",
                        "light work (µs)",
                        "busy",
                        "runtime CPU ms",
                        "generator CPU ms",
                        "backend CPU ms",
                        "model bound (req/s)"),
                rows,
                1));
        for (String note : farBelow(g, capacity)) {
            blocks.add(new Report.Text("Note: " + note + "."));
        }
        return blocks;
    }

    /**
     * Each runtime whose measured capacity is under {@link #FAR_BELOW} of its model's bound (the
     * median over its points). The capacity is the one the ladder measured, the highest rate
     * sustained within the p99 objective; a run without climbs (fractions) falls back to the
     * closed-loop estimate in {@code capacity}, and the note says which it used.
     */
    static List<String> farBelow(LoadGroup g, Map<String, Double> capacity) {
        List<String> notes = new ArrayList<>();
        g.byRuntime().forEach((runtime, pts) -> {
            LoadPoint atSlo = g.atSloCapacity(runtime);
            Double measured =
                    atSlo != null ? Double.valueOf(atSlo.rateValue()) : capacity == null ? null : capacity.get(runtime);
            String which = atSlo != null ? "capacity within its p99 objective" : "closed-loop capacity estimate";
            double bound = median(pts.stream()
                    .mapToDouble(p -> p.value("model.bound"))
                    .filter(Double::isFinite)
                    .toArray());
            if (measured == null || !(bound > 0) || measured >= FAR_BELOW * bound) {
                return;
            }
            notes.add(String.format(
                    Locale.ROOT,
                    "%s's %s for %s, %s req/s, is %.0f%% of its model's bound, %s req/s: the model "
                            + "counts only the time requests hold its loops, its threads and the CPU; what it leaves "
                            + "out (hand-offs between threads, I/O that queues for the same threads, the generator "
                            + "and the backend on the same cores, see the CPU columns) costs the rest",
                    runtime,
                    which,
                    g.load(),
                    NumberText.rate(Math.round(measured)),
                    100 * measured / bound,
                    NumberText.rate(Math.round(bound))));
        });
        return notes;
    }

    private static String work(LoadPoint p, String prefix, Integer nominal) {
        double mean = p.value(prefix + ".mean");
        if (Double.isNaN(mean)) {
            return "–";
        }
        String measured = NumberText.sig(mean) + " (p99 " + NumberText.sig(p.value(prefix + ".p99")) + ")";
        return nominal == null ? measured : measured + " of " + NumberText.count(nominal);
    }

    private static String percent(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.0f%%", v) : "–";
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static LoadSpec spec(String load) {
        try {
            return Loads.named(load);
        } catch (IllegalArgumentException e) {
            return null; // a load this build does not know
        }
    }
}
