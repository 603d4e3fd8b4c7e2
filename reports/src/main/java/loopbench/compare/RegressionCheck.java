package loopbench.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import loopbench.report.JmhResult;
import loopbench.report.Metric;
import loopbench.report.NumberText;
import loopbench.schema.Direction;
import loopbench.schema.LoadMetric;

/**
 * Compares two sets of JMH results metric by metric (benchmark + mode + params + metric name).
 * A change counts only when it is beyond the threshold AND significant. The evidence, in order:
 * repeated samples on both sides (a micro benchmark's iterations, a load point's one-second
 * intervals, pooled over the runs of a side) go through a two-sided Mann-Whitney U test
 * ({@link RankTest}) at level {@code alpha}; else JMH's two 99.9% confidence intervals must not
 * overlap. A change with neither is {@link Verdict#NO_ERROR_ESTIMATE}: shown, never a failure. A
 * load point's counts (errors, late starts) are such: their events come in bursts (one stall makes
 * hundreds of late starts), so one count per run says nothing of its spread. The intervals of one
 * run show the noise within it, not from run to run: a side of several runs (A,B,A,B) is what
 * makes the test see that too.
 */
public final class RegressionCheck {
    public static final String PRIMARY = "score";
    /** The default significance level; a quick run's 3 iterations per side can never reach it (see {@link RankTest}). */
    public static final double ALPHA = 0.01;

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
    public record Outcome(
            List<Row> rows, List<Key> onlyInBaseline, List<Key> onlyInCurrent, double thresholdPct, double alpha) {
        public long count(Verdict v) {
            return rows.stream().filter(r -> r.verdict() == v).count();
        }

        public boolean hasRegression() {
            return count(Verdict.REGRESSION) > 0;
        }
    }

    private RegressionCheck() {}

    public static Outcome compare(List<JmhResult> baseline, List<JmhResult> current, double thresholdPct) {
        return compare(metrics(baseline), metrics(current), thresholdPct, ALPHA);
    }

    /** {@code base} and {@code cur} as {@link #metrics} or {@link #pool} give them. */
    public static Outcome compare(Map<Key, Metric> base, Map<Key, Metric> cur, double thresholdPct, double alpha) {
        List<Row> rows = new ArrayList<>();
        List<Key> onlyBase = new ArrayList<>();
        List<Key> onlyCur = new ArrayList<>();
        var benchBase =
                base.keySet().stream().map(Key::benchmarkOnly).distinct().toList();
        var benchCur = cur.keySet().stream().map(Key::benchmarkOnly).distinct().toList();
        for (var e : base.entrySet()) {
            Metric c = cur.get(e.getKey());
            if (c != null) {
                rows.add(row(e.getKey(), e.getValue(), c, thresholdPct, alpha));
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
                thresholdPct,
                alpha);
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

    /**
     * The runs of one side as one: each metric's score is the mean of the runs' scores and its
     * samples are all of theirs; JMH's confidence interval is kept only for a single run.
     */
    public static Map<Key, Metric> pool(List<List<JmhResult>> runs) {
        if (runs.size() == 1) return metrics(runs.get(0));
        Map<Key, List<Metric>> byKey = new LinkedHashMap<>();
        for (List<JmhResult> run : runs) {
            metrics(run)
                    .forEach((k, m) ->
                            byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(m));
        }
        Map<Key, Metric> out = new LinkedHashMap<>();
        byKey.forEach((k, ms) -> {
            if (ms.size() == 1) {
                out.put(k, ms.get(0));
                return;
            }
            double mean = ms.stream().mapToDouble(Metric::score).average().orElse(Double.NaN);
            double[] raw =
                    ms.stream().flatMapToDouble(m -> Arrays.stream(m.raw())).toArray();
            out.put(
                    k,
                    new Metric(
                            mean, Double.NaN, Double.NaN, Double.NaN, ms.get(0).unit(), raw));
        });
        return out;
    }

    static Row row(Key key, Metric b, Metric c, double threshold) {
        return row(key, b, c, threshold, ALPHA);
    }

    static Row row(Key key, Metric b, Metric c, double threshold, double alpha) {
        Direction dir = Direction.of(key.benchmark(), key.mode(), key.metric());
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
        if (!dir.judged()) {
            return new Row(
                    key,
                    b,
                    c,
                    dir,
                    change,
                    Verdict.NOT_JUDGED,
                    Direction.whyNotJudged(key.benchmark(), key.mode(), key.metric()));
        }
        Evidence ev = evidence(key, b, c, alpha);
        String note = ev == null ? "no error estimate" : ev.note();
        if (Math.abs(change) <= threshold) {
            return new Row(key, b, c, dir, change, Verdict.UNCHANGED, note);
        }
        if (ev == null) {
            return new Row(key, b, c, dir, change, Verdict.NO_ERROR_ESTIMATE, note);
        }
        if (!ev.significant()) {
            return new Row(key, b, c, dir, change, Verdict.WITHIN_NOISE, note);
        }
        boolean worse = dir == Direction.BIGGER_IS_BETTER ? c.score() < b.score() : c.score() > b.score();
        return new Row(key, b, c, dir, change, worse ? Verdict.REGRESSION : Verdict.IMPROVEMENT, note);
    }

    /** Whether the change is beyond the noise, and how that was decided; null when nothing measures the noise. */
    record Evidence(boolean significant, String note) {}

    static Evidence evidence(Key key, Metric b, Metric c, double alpha) {
        String samples = LoadMetric.BENCHMARK.equals(key.benchmark()) ? "intervals" : "iterations";
        RankTest.Result r = RankTest.of(b.raw(), c.raw());
        if (r != null) {
            String sizes = r.n() + " vs " + r.m() + " " + samples;
            if (r.minP() >= alpha) {
                return new Evidence(false, "too few samples (" + sizes + ") for p < " + NumberText.plain(alpha));
            }
            return new Evidence(r.p() < alpha, "rank test p=" + NumberText.sig(r.p()) + ", " + sizes);
        }
        if (b.hasConfidence() && c.hasConfidence()) {
            boolean overlap = b.low() <= c.high() && c.low() <= b.high();
            return new Evidence(!overlap, "99.9% confidence intervals " + (overlap ? "overlap" : "apart"));
        }
        return null;
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
