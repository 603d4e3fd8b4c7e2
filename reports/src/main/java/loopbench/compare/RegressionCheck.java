package loopbench.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import loopbench.report.JmhResult;
import loopbench.report.Metric;
import loopbench.schema.Direction;
import loopbench.schema.LoadMetric;

/**
 * Compares two sets of JMH results metric by metric (benchmark + mode + params + metric name).
 * A change counts only when it is beyond the threshold AND beyond the measurement error: the
 * two 99.9% confidence intervals JMH reports must not overlap. Where JMH gave no error (one
 * iteration, most secondary metrics) the spread of the raw samples stands in when there are at
 * least two, else only the threshold applies and the row says "no error estimate".
 */
public final class RegressionCheck {
    public static final String PRIMARY = "score";

    /** Parameters that describe how a point was chosen or how it ended, never what it measured at. */
    static final java.util.Set<String> OUTCOME_PARAMS = java.util.Set.of("loadFraction", LoadMetric.STOP_PARAM);

    /** What is matched between the two files; {@code metric} is null for a whole benchmark. */
    public record Key(String benchmark, String mode, String params, String metric) {
        Key benchmarkOnly() {
            return new Key(benchmark, mode, params, null);
        }

        /** "LatencyUnderLoad.openLoop" for "loopbench.bench.load.LatencyUnderLoad.openLoop". */
        public String shortBenchmark() {
            String[] parts = benchmark.split("\\.");
            return parts.length <= 2 ? benchmark : parts[parts.length - 2] + "." + parts[parts.length - 1];
        }

        @Override
        public String toString() {
            return shortBenchmark()
                    + (params.isEmpty() ? "" : " [" + params + "]")
                    + (mode.isEmpty() ? "" : " " + mode)
                    + (metric == null ? "" : " " + metric);
        }
    }

    /** One compared metric. {@code changePct} is (current - baseline) / baseline in percent. */
    public record Row(
            Key key,
            Metric baseline,
            Metric current,
            Direction direction,
            double changePct,
            Verdict verdict,
            String note) {}

    /** All rows plus what only one side has. */
    public record Outcome(List<Row> rows, List<Key> onlyInBaseline, List<Key> onlyInCurrent, double thresholdPct) {
        public long count(Verdict v) {
            return rows.stream().filter(r -> r.verdict() == v).count();
        }

        public boolean hasRegression() {
            return count(Verdict.REGRESSION) > 0;
        }
    }

    private RegressionCheck() {}

    public static Outcome compare(List<JmhResult> baseline, List<JmhResult> current, double thresholdPct) {
        Map<Key, Metric> base = metrics(baseline);
        Map<Key, Metric> cur = metrics(current);
        List<Row> rows = new ArrayList<>();
        List<Key> onlyBase = new ArrayList<>();
        List<Key> onlyCur = new ArrayList<>();
        var benchBase =
                base.keySet().stream().map(Key::benchmarkOnly).distinct().toList();
        var benchCur = cur.keySet().stream().map(Key::benchmarkOnly).distinct().toList();
        for (var e : base.entrySet()) {
            Metric c = cur.get(e.getKey());
            if (c != null) {
                rows.add(row(e.getKey(), e.getValue(), c, thresholdPct));
            } else {
                onlyBase.add(
                        benchCur.contains(e.getKey().benchmarkOnly())
                                ? e.getKey()
                                : e.getKey().benchmarkOnly());
            }
        }
        for (Key k : cur.keySet()) {
            if (!base.containsKey(k)) {
                onlyCur.add(benchBase.contains(k.benchmarkOnly()) ? k : k.benchmarkOnly());
            }
        }
        return new Outcome(
                rows,
                onlyBase.stream().distinct().toList(),
                onlyCur.stream().distinct().toList(),
                thresholdPct);
    }

    /** Every metric of every result, keyed and in a stable order (primary metric first). */
    public static Map<Key, Metric> metrics(List<JmhResult> results) {
        Map<Key, Metric> out = new LinkedHashMap<>();
        results.stream()
                .sorted(Comparator.comparing(JmhResult::benchmark)
                        .thenComparing(RegressionCheck::matchParams)
                        .thenComparing(JmhResult::mode))
                .forEach(r -> {
                    out.put(new Key(r.benchmark(), r.mode(), matchParams(r), PRIMARY), r.primary());
                    r.secondary()
                            .forEach((name, m) -> out.put(new Key(r.benchmark(), r.mode(), matchParams(r), name), m));
                });
        return out;
    }

    static Row row(Key key, Metric b, Metric c, double threshold) {
        Direction dir = Direction.of(key.benchmark(), key.metric(), c.unit());
        if (!Double.isFinite(b.score()) || !Double.isFinite(c.score())) {
            return new Row(key, b, c, dir, Double.NaN, Verdict.NOT_JUDGED, "no score");
        }
        if (!b.unit().equals(c.unit())) {
            return new Row(
                    key, b, c, dir, Double.NaN, Verdict.NOT_JUDGED, "unit changed: " + b.unit() + " -> " + c.unit());
        }
        double change = b.score() == 0
                ? (c.score() == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, c.score()))
                : (c.score() - b.score()) / Math.abs(b.score()) * 100;
        if (dir == Direction.UNKNOWN) {
            return new Row(
                    key,
                    b,
                    c,
                    dir,
                    change,
                    Verdict.NOT_JUDGED,
                    Direction.whyNotJudged(key.benchmark(), key.metric(), c.unit()));
        }
        double[] bi = interval(b);
        double[] ci = interval(c);
        String note = errorNote(b, c, bi, ci);
        if (Math.abs(change) <= threshold) {
            return new Row(key, b, c, dir, change, Verdict.UNCHANGED, note);
        }
        if (bi != null || ci != null) {
            double[] bx = bi != null ? bi : new double[] {b.score(), b.score()};
            double[] cx = ci != null ? ci : new double[] {c.score(), c.score()};
            if (bx[0] <= cx[1] && cx[0] <= bx[1]) {
                return new Row(key, b, c, dir, change, Verdict.WITHIN_NOISE, note);
            }
        }
        boolean worse = dir == Direction.BIGGER_IS_BETTER ? c.score() < b.score() : c.score() > b.score();
        return new Row(key, b, c, dir, change, worse ? Verdict.REGRESSION : Verdict.IMPROVEMENT, note);
    }

    /** JMH's confidence interval, else the raw samples' min..max, else null. */
    static double[] interval(Metric m) {
        return m.hasConfidence() ? new double[] {m.low(), m.high()} : m.rawSpread();
    }

    private static String errorNote(Metric b, Metric c, double[] bi, double[] ci) {
        if (bi == null && ci == null) {
            return "no error estimate";
        }
        if (bi == null || ci == null) {
            return "error estimate for " + (bi == null ? "current" : "baseline") + " only";
        }
        return b.hasConfidence() && c.hasConfidence() ? "" : "error from raw-sample spread";
    }

    /**
     * The parameters a result is matched by. A load point is matched by what was offered: load,
     * runtime, offered {@code rate}, layout, arrival and backend. Its {@code loadFraction} (how a
     * fractions run chose the rate) is left out: latencies are only comparable at the same rate, and
     * the ladder's fixed grid gives runs the same rates (a fractions run gets them from
     * {@code --capacity-from}). A ladder outcome's {@code stop} says how the climb ended, an
     * outcome, not a setting, and is left out too.
     */
    static String matchParams(JmhResult r) {
        return r.params().entrySet().stream()
                .filter(e -> !OUTCOME_PARAMS.contains(e.getKey()))
                .sorted(java.util.Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.joining(","));
    }
}
