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
 * A change counts only when it is beyond the threshold AND significant.
 *
 * <p><b>Beyond the threshold.</b> For most metrics, the change itself. For a load point's latency and
 * lag, the change of capacity that explains it at the point's measured utilisation ({@link Queueing}):
 * near saturation a queue amplifies a few percent of capacity, the noise between two runs of one
 * commit, into +100% of latency, and that is not a regression of the code. A latency change beyond the
 * threshold that a capacity change within it explains is {@link Verdict#QUEUEING}. A saturated point's
 * latency (utilisation 1 or more, or a side that fell behind) is not judged: it grows with the point's
 * length; the ladder's outcome (capacity at the objective) is judged instead.
 *
 * <p><b>Significant.</b> The evidence must hold the noise between runs, not only within one. When
 * both sides hold several runs (A,B,A,B), each metric's repeated samples, pooled over the runs (a micro
 * benchmark's iterations, a load point's one-second intervals), go through a two-sided Mann-Whitney U
 * test ({@link RankTest}) at level {@code alpha}. When a side holds one run, a point's intervals only
 * show how steady that run was (tight intervals in two runs of one commit differ by their machine's
 * state), so the evidence is the ladder instead: a change of the code moves a runtime's whole ladder
 * (every offered rate of a load) one way, while the noise of a point does not; the exact Wilcoxon
 * signed-rank test over the capacity-equivalent log changes of the ladder's unsaturated points, at level
 * {@code alpha}, decides for each of them. The ladder also speaks for pooled runs whose points hold too
 * few intervals to reach {@code alpha} (quick points of 1.5 s: 2 against 2 intervals with two runs a
 * side can never reach 0.05). Micro benchmarks keep their iterations' test; without samples,
 * JMH's two 99.9% confidence intervals must not overlap. A change with no evidence is {@link
 * Verdict#NO_ERROR_ESTIMATE}: shown, never a failure. A load point's counts (errors, late starts) are
 * such: their events come in bursts (one stall makes hundreds of late starts), so one count per run says
 * nothing of its spread.
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

    /** {@code base} and {@code cur} as {@link #metrics} or {@link #pool} give them, one run a side. */
    public static Outcome compare(Map<Key, Metric> base, Map<Key, Metric> cur, double thresholdPct, double alpha) {
        return compare(base, cur, thresholdPct, alpha, false);
    }

    /** {@code replicated}: both sides pool several runs, so a point's samples hold the noise from run to run. */
    public static Outcome compare(
            Map<Key, Metric> base, Map<Key, Metric> cur, double thresholdPct, double alpha, boolean replicated) {
        Judge judge = new Judge(base, cur, thresholdPct, alpha, replicated);
        List<Row> rows = new ArrayList<>();
        List<Key> onlyBase = new ArrayList<>();
        List<Key> onlyCur = new ArrayList<>();
        var benchBase =
                base.keySet().stream().map(Key::benchmarkOnly).distinct().toList();
        var benchCur = cur.keySet().stream().map(Key::benchmarkOnly).distinct().toList();
        for (var e : base.entrySet()) {
            Metric c = cur.get(e.getKey());
            if (c != null) {
                rows.add(judge.row(e.getKey(), e.getValue(), c));
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
        return new Judge(Map.of(key, b), Map.of(key, c), threshold, ALPHA, true).row(key, b, c);
    }

    /** The verdicts of one comparison: the sides, and each ladder's test when a side holds one run. */
    private static final class Judge {
        final Map<Key, Metric> base;
        final Map<Key, Metric> cur;
        final double threshold;
        final double alpha;
        final boolean replicated;
        /** Each ladder's capacity-equivalent log changes, one per unsaturated point. */
        final Map<Key, List<Double>> ladders = new LinkedHashMap<>();

        Judge(Map<Key, Metric> base, Map<Key, Metric> cur, double threshold, double alpha, boolean replicated) {
            this.base = base;
            this.cur = cur;
            this.threshold = threshold;
            this.alpha = alpha;
            this.replicated = replicated;
            base.forEach((k, b) -> {
                Metric c = cur.get(k);
                if (c == null || !onLadder(k)) return;
                double ratio = c.score() / b.score();
                if (!(ratio > 0) || Double.isInfinite(ratio)) return;
                if (Queueing.queueing(k.metric())) {
                    Queueing.Point p = Queueing.of(base, cur, k);
                    if (p.saturated()) return;
                    ratio = p.capacityRatio(ratio);
                }
                ladders.computeIfAbsent(Queueing.ladder(k), x -> new ArrayList<>())
                        .add(Math.log(ratio));
            });
        }

        /** A load point's metric that its intervals sample: the ladder can stand in for them. */
        private static boolean onLadder(Key k) {
            return LoadMetric.BENCHMARK.equals(k.benchmark())
                    && IntervalSamples.sampled(k.metric())
                    && Double.isFinite(Queueing.rate(k));
        }

        Row row(Key key, Metric b, Metric c) {
            Direction dir = Direction.of(key.benchmark(), key.mode(), key.metric());
            if (!Double.isFinite(b.score()) || !Double.isFinite(c.score())) {
                return new Row(key, b, c, dir, Double.NaN, Verdict.NOT_JUDGED, "no score");
            }
            if (!b.unit().equals(c.unit())) {
                return new Row(
                        key,
                        b,
                        c,
                        dir,
                        Double.NaN,
                        Verdict.NOT_JUDGED,
                        "unit changed: " + b.unit() + " -> " + c.unit());
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
            String capacityNote = "";
            double judged = change;
            if (LoadMetric.BENCHMARK.equals(key.benchmark()) && Queueing.queueing(key.metric())) {
                Queueing.Point p = Queueing.of(base, cur, key);
                if (p.saturated()) {
                    return new Row(
                            key,
                            b,
                            c,
                            dir,
                            change,
                            Verdict.NOT_JUDGED,
                            "saturated point: its queue grows with the point's length (judged by the capacity at the objective)");
                }
                if (Double.isFinite(p.utilisation()) && b.score() > 0 && c.score() > 0) {
                    judged = (p.capacityRatio(c.score() / b.score()) - 1) * 100;
                    capacityNote = "at utilisation " + p.utilisationText() + " a capacity change of "
                            + CompareReport.change(judged) + "; ";
                }
            }
            Evidence ev = evidenceFor(key, b, c);
            String note = capacityNote + (ev == null ? "no error estimate" : ev.note());
            if (Math.abs(judged) <= threshold) {
                boolean amplified = Math.abs(change) > threshold;
                return new Row(key, b, c, dir, change, amplified ? Verdict.QUEUEING : Verdict.UNCHANGED, note);
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

        /**
         * A point's own samples when they can show a change at {@code alpha}; else, for a load point,
         * its ladder. Pooled runs of short points (a quick point holds one or two intervals) are as
         * short of samples as one run a side: with two runs a side, 2 against 2 intervals can never
         * reach p < 0.05, so the A,B,A,B check would catch nothing without the ladder.
         */
        private Evidence evidenceFor(Key key, Metric b, Metric c) {
            if (!onLadder(key)) return evidence(key, b, c, alpha);
            if (!replicated) return ladder(key);
            RankTest.Result own = RankTest.of(b.raw(), c.raw());
            return own != null && own.minP() < alpha ? evidence(key, b, c, alpha) : ladder(key);
        }

        /** The ladder's signed-rank test: for a point of a side that holds one run, or whose samples are too few. */
        private Evidence ladder(Key key) {
            List<Double> changes = ladders.getOrDefault(Queueing.ladder(key), List.of());
            RankTest.Result r = RankTest.signedRank(
                    changes.stream().mapToDouble(Double::doubleValue).toArray());
            if (r == null) return null;
            if (r.minP() >= alpha) {
                return new Evidence(
                        false,
                        (replicated ? "too few intervals a point, and " : "one run a side, ") + "a ladder of "
                                + r.n() + " unsaturated points: too few for p < "
                                + NumberText.plain(alpha));
            }
            return new Evidence(
                    r.p() < alpha, "ladder signed-rank p=" + NumberText.sig(r.p()) + ", " + r.n() + " points");
        }
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
