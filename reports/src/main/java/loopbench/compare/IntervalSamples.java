package loopbench.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import loopbench.report.BadInputException;
import loopbench.report.JmhResult;
import loopbench.report.LatencyLog;
import loopbench.report.LoadPoint;
import loopbench.report.Metric;
import loopbench.report.ResultsDir;
import loopbench.schema.LoadMetric;
import org.HdrHistogram.Histogram;

/**
 * A load point's repeated samples, from the run directory's side files: the HdrHistogram interval
 * logs (one histogram a second) give one value per interval of each latency percentile, of the
 * uncorrected percentiles and of the throughput; the lag CSV gives the lag percentiles per second.
 * They become the metric's raw samples, which {@link RankTest} compares. An interval less than half
 * as long, or holding less than half as many requests, as the median one (the drain at the end of a
 * point) is left out: its throughput and tail are not those of the offered rate.
 */
public final class IntervalSamples {
    private IntervalSamples() {}

    /** {@code results} read from {@code runDir}, each load point's metrics carrying their per-interval samples where the files allow. */
    public static List<JmhResult> attach(Path runDir, List<JmhResult> results) {
        List<JmhResult> out = new ArrayList<>();
        for (JmhResult r : results) {
            out.add(
                    LoadMetric.BENCHMARK.equals(r.benchmark()) && r.param("load") != null && r.param("runtime") != null
                            ? attach(runDir, LoadPoint.of(r))
                            : r);
        }
        return out;
    }

    /** Whether a load point's metric gets samples from the side files: throughput, latency (corrected or not) and lag. */
    public static boolean sampled(String metric) {
        if (RegressionCheck.PRIMARY.equals(metric)) return true;
        LoadMetric m = metric == null ? null : LoadMetric.of(metric);
        return m == LoadMetric.LATENCY || m == LoadMetric.UNCORRECTED || m == LoadMetric.LAG;
    }

    private static JmhResult attach(Path runDir, LoadPoint p) {
        JmhResult r = p.result();
        List<Histogram> corrected = steady(intervals(ResultsDir.pointFile(runDir, p, "hlog", ".hlog")));
        List<Histogram> uncorrected = steady(intervals(ResultsDir.pointFile(runDir, p, "hlog", ".uncorrected.hlog")));
        List<double[]> lag = lagWindows(ResultsDir.pointFile(runDir, p, "lag", ".csv"));
        Metric primary = r.primary();
        if (corrected.size() >= 2 && "ops/s".equals(primary.unit())) {
            primary = withRaw(primary, sample(corrected, h -> h.getTotalCount() * 1000.0 / length(h)));
        }
        Map<String, Metric> secondary = new LinkedHashMap<>();
        r.secondary().forEach((name, m) -> {
            double[] raw = null;
            if (name.startsWith("latency.") && corrected.size() >= 2) {
                raw = sample(corrected, h -> micros(h, name.substring("latency.".length())));
            } else if (name.startsWith("uncorrected.") && uncorrected.size() >= 2) {
                raw = sample(uncorrected, h -> micros(h, name.substring("uncorrected.".length())));
            } else if (name.startsWith("lag.") && lag.size() >= 2) {
                raw = lag.stream()
                        .mapToDouble(w -> at(w, name.substring("lag.".length())))
                        .toArray();
            }
            secondary.put(name, raw == null || !"us".equals(m.unit()) ? m : withRaw(m, raw));
        });
        return new JmhResult(r.benchmark(), r.mode(), r.params(), primary, secondary, r.invalidReason(), r.seconds());
    }

    private static Metric withRaw(Metric m, double[] raw) {
        return new Metric(m.score(), m.error(), m.low(), m.high(), m.unit(), raw);
    }

    private static List<Histogram> intervals(Path hlog) {
        if (hlog == null) return List.of();
        try {
            return LatencyLog.intervals(hlog);
        } catch (BadInputException e) {
            return List.of(); // the report names a corrupt log; compare then has no samples for it
        }
    }

    /** The intervals at the point's steady state: not much shorter or emptier than the median one. */
    static List<Histogram> steady(List<Histogram> all) {
        if (all.size() < 3) return all;
        double medianLength =
                median(all.stream().mapToDouble(IntervalSamples::length).toArray());
        double medianCount =
                median(all.stream().mapToDouble(Histogram::getTotalCount).toArray());
        return all.stream()
                .filter(h ->
                        length(h) >= medianLength / 2 && h.getTotalCount() >= medianCount / 2 && h.getTotalCount() > 0)
                .toList();
    }

    private static double[] sample(List<Histogram> intervals, ToDoubleFunction<Histogram> f) {
        return intervals.stream().mapToDouble(f).toArray();
    }

    private static double length(Histogram h) {
        return Math.max(1, h.getEndTimeStamp() - h.getStartTimeStamp());
    }

    /** {@code which} is {@code max}, {@code mean}, {@code stdev} or {@code pNN}; the histogram holds nanoseconds. */
    private static double micros(Histogram h, String which) {
        return switch (which) {
            case "max" -> h.getMaxValue() / 1000.0;
            case "mean" -> h.getMean() / 1000.0;
            case "stdev" -> h.getStdDeviation() / 1000.0;
            default -> h.getValueAtPercentile(Double.parseDouble(which.substring(1))) / 1000.0;
        };
    }

    /** The lag probe's samples (us) in one-second windows of its CSV; an empty list when there is none. */
    private static List<double[]> lagWindows(Path csv) {
        if (csv == null) return List.of();
        List<double[]> windows = new ArrayList<>();
        try {
            List<String> lines = java.nio.file.Files.readAllLines(csv);
            Map<Long, List<Double>> bySecond = new LinkedHashMap<>();
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] cells = line.split(",");
                if (cells.length < 2) continue;
                try {
                    long second = (long) (Double.parseDouble(cells[0].trim()) / 1000);
                    bySecond.computeIfAbsent(second, k -> new ArrayList<>()).add(Double.parseDouble(cells[1].trim()));
                } catch (NumberFormatException e) {
                    // a row cut off by an interrupted run: the report counts those
                }
            }
            int most = bySecond.values().stream().mapToInt(List::size).max().orElse(0);
            bySecond.values().stream()
                    .filter(w -> w.size() >= most / 2 && w.size() > 0)
                    .forEach(w -> windows.add(
                            w.stream().mapToDouble(Double::doubleValue).sorted().toArray()));
        } catch (java.io.IOException e) {
            return List.of();
        }
        return windows;
    }

    /** {@code which} of a sorted window: {@code max} or {@code pNN} (nearest rank). */
    private static double at(double[] sorted, String which) {
        if (which.equals("max")) return sorted[sorted.length - 1];
        double p = Double.parseDouble(which.substring(1));
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
