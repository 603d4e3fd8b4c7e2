package loopbench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import loopbench.compare.Environments;
import loopbench.compare.IntervalSamples;
import loopbench.compare.RegressionCheck;
import loopbench.compare.Verdict;
import loopbench.core.io.AtomicFile;

/**
 * Several runs in one report ({@code report RUN_DIR RUN_DIR...}): JDK 21 against 25, G1 against
 * ZGC, yesterday's commit against today's. Each run has a label (given, or the facts in which it
 * differs from the others); an environment table shows those facts and warns when the runs differ
 * in more than one thing; per load, a table puts the runs' p99 and throughput side by side at each
 * offered rate, and {@link RunsCharts} draws each runtime's capacity at the objective per run and,
 * per runtime, the runs' p99 against the rate; the summary names each difference of the first run's
 * p99 or throughput with another run's that {@code compare}'s test finds beyond its threshold and
 * significant, and each capacity at the objective that differs between runs by more than one rung
 * of the ladder.
 */
public final class RunsReport {
    /** Facts that are one thing to compare: the GC is set through the JVM's arguments, cores and CPU are the machine. */
    private static final List<Set<String>> THINGS =
            List.of(Set.of("jdk"), Set.of("gc", "jvm args"), Set.of("cores", "cpu"), Set.of("commit"));

    public record Run(String label, ResultsDir dir) {}

    private RunsReport() {}

    /** The labels: {@code given} (by run directory) where set, else the facts in which the run differs from the others. */
    public static List<Run> label(List<ResultsDir> dirs, Map<Path, String> given) {
        List<Map<String, String>> facts =
                dirs.stream().map(d -> Environments.of(d.dir())).toList();
        List<String> differ = Environments.FACTS.stream()
                .filter(f -> !f.equals("jvm args"))
                .filter(f ->
                        Environments.differ(facts.stream().map(m -> m.get(f)).toList()))
                .toList();
        List<Run> runs = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        for (int i = 0; i < dirs.size(); i++) {
            Path p = dirs.get(i).dir();
            String label = given.get(p.toAbsolutePath().normalize());
            if (label == null) {
                List<String> parts = new ArrayList<>();
                for (String f : differ) parts.add(f + " " + facts.get(i).get(f));
                label = parts.isEmpty() ? String.valueOf(p.getFileName()) : String.join(", ", parts);
            }
            if (!used.add(label)) label = label + " (" + p.getFileName() + ")";
            runs.add(new Run(label, dirs.get(i)));
        }
        return runs;
    }

    public static ReportGenerator.Output write(List<Run> runs, Path out) throws IOException {
        List<ChartFile> charts = new ArrayList<>();
        List<Report.Section> sections = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Map<String, String>> facts =
                runs.stream().map(r -> Environments.of(r.dir().dir())).toList();
        sections.add(new Report.Section("Runs", environment(runs, facts)));
        for (Run r : runs) r.dir().problems().forEach(p -> problems.add(r.label() + ": " + p));
        Set<String> loads = new TreeSet<>(Comparator.comparingInt(l -> ResultsDir.LOADS.indexOf(l)));
        runs.forEach(r -> r.dir().loadPoints().forEach(p -> loads.add(p.load())));
        for (String load : loads) {
            List<Report.Block> blocks = new ArrayList<>();
            blocks.add(sideBySide(runs, load));
            // A chart the runs give nothing to draw is null (a ladder of one runtime that never saturated
            // has no capacity): it is left out, not drawn empty.
            Map<String, org.knowm.xchart.internal.chartpart.Chart<?, ?>> loadCharts = new LinkedHashMap<>();
            loadCharts.put("runs-capacity-" + load, RunsCharts.capacity(runs, load));
            for (String runtime : ResultsDir.RUNTIMES) {
                loadCharts.put(
                        "runs-latency-vs-load-" + load + "-" + runtime, RunsCharts.latencyVsRate(runs, load, runtime));
            }
            for (var c : loadCharts.entrySet()) {
                if (c.getValue() == null) continue;
                ChartFile f = ChartFile.write(c.getValue(), out.resolve("charts"), c.getKey());
                charts.add(f);
                blocks.add(new Report.Chart(f));
            }
            sections.add(new Report.Section(load, blocks));
        }
        Report report = new Report(
                "Loopbench: " + runs.size() + " runs side by side", null, problems, summary(runs, facts), sections);
        Path md = out.resolve("report.md");
        Path html = out.resolve("report.html");
        AtomicFile.write(md, MarkdownReport.render(report, out));
        AtomicFile.write(html, HtmlReport.render(report));
        return new ReportGenerator.Output(html, md, charts, report);
    }

    private static List<Report.Block> environment(List<Run> runs, List<Map<String, String>> facts) {
        List<String> header = new ArrayList<>(List.of("fact"));
        runs.forEach(r -> header.add(r.label()));
        header.add("");
        List<List<String>> rows = new ArrayList<>();
        List<String> path = new ArrayList<>(List.of("directory"));
        runs.forEach(r -> path.add(r.dir().dir().toString()));
        path.add("");
        rows.add(path);
        for (String f : Environments.FACTS) {
            List<String> row = new ArrayList<>(List.of(f));
            facts.forEach(m -> row.add(m.get(f)));
            row.add(Environments.differ(facts.stream().map(m -> m.get(f)).toList()) ? "differs" : "");
            rows.add(row);
        }
        List<Report.Block> blocks = new ArrayList<>();
        blocks.add(new Report.Table(header, rows, 99));
        List<String> things = differingThings(facts);
        if (things.size() > 1) {
            blocks.add(new Report.Text("Warning: the runs differ in more than the one thing being compared ("
                    + String.join("; ", things) + "): a difference below may come from any of them."));
        }
        return blocks;
    }

    /** The things (JDK, JVM options, machine, commit) in which the runs differ. */
    static List<String> differingThings(List<Map<String, String>> facts) {
        List<String> out = new ArrayList<>();
        for (Set<String> thing : THINGS) {
            List<String> differ = Environments.FACTS.stream()
                    .filter(thing::contains)
                    .filter(f -> Environments.differ(
                            facts.stream().map(m -> m.get(f)).toList()))
                    .toList();
            if (!differ.isEmpty()) out.add(String.join(" and ", differ));
        }
        return out;
    }

    /** One row per runtime and offered rate; per run its p99 (ms) then its throughput (req/s). */
    private static Report.Table sideBySide(List<Run> runs, String load) {
        List<String> header = new ArrayList<>(List.of("runtime", "offered (req/s)"));
        runs.forEach(r -> header.add("p99 ms, " + r.label()));
        runs.forEach(r -> header.add("req/s, " + r.label()));
        Map<String, Map<Double, LoadPoint[]>> grid = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            for (LoadPoint p : runs.get(i).dir().loadPoints()) {
                if (!p.load().equals(load)) continue;
                grid.computeIfAbsent(p.runtime(), k -> new java.util.TreeMap<>())
                        .computeIfAbsent(p.rateValue(), k -> new LoadPoint[runs.size()])[i] = p;
            }
        }
        List<List<String>> rows = new ArrayList<>();
        grid.forEach((runtime, byRate) -> byRate.forEach((rate, points) -> {
            List<String> row = new ArrayList<>(List.of(runtime, NumberText.rate(rate)));
            for (LoadPoint p : points) row.add(p == null ? "" : NumberText.sig(p.micros("latency.p99") / 1000));
            for (LoadPoint p : points) row.add(p == null ? "" : NumberText.rate(Math.round(p.throughput())));
            rows.add(row);
        }));
        return new Report.Table(header, rows, 1);
    }

    /**
     * One sentence per p99 or throughput of a point in which another run differs from the first
     * beyond compare's threshold and significantly (its verdict is a regression or an improvement),
     * and a count of those beyond the threshold that compare does not find significant: a reader who
     * sees them in the charts must not read "no difference" as "the same".
     */
    static List<String> summary(List<Run> runs, List<Map<String, String>> facts) {
        List<String> out = new ArrayList<>();
        if (runs.size() < 2) return out;
        int unproven = 0; // beyond 10% at one rate, yet not shown to be more than noise or queueing
        var first = RegressionCheck.pool(List.of(loadResults(runs.get(0))));
        for (Run other : runs.subList(1, runs.size())) {
            var outcome = RegressionCheck.compare(
                    first, RegressionCheck.pool(List.of(loadResults(other))), 10, RegressionCheck.ALPHA);
            for (RegressionCheck.Row row : outcome.rows()) {
                boolean shown = row.key().metric().equals("latency.p99")
                        || row.key().metric().equals(RegressionCheck.PRIMARY);
                if (!shown) continue;
                if (row.verdict() != Verdict.REGRESSION && row.verdict() != Verdict.IMPROVEMENT) {
                    if (Math.abs(row.changePct()) > 10 && row.verdict() != Verdict.NOT_JUDGED) unproven++;
                    continue;
                }
                boolean p99 = row.key().metric().equals("latency.p99");
                String what = p99 ? "p99 " : "throughput ";
                String unit = p99 ? " ms" : " req/s";
                double scale = p99 ? 1e-3 : 1;
                out.add(point(row.key().params(), runs.size()) + ": " + what
                        + NumberText.sig(row.baseline().score() * scale) + unit
                        + " on " + runs.get(0).label() + ", "
                        + NumberText.sig(row.current().score() * scale) + unit
                        + " on " + other.label() + " ("
                        + String.format(java.util.Locale.ROOT, "%+.0f%%", row.changePct())
                        + "; " + row.note() + ")");
            }
        }
        if (out.isEmpty()) {
            out.add("No p99 or throughput at an offered rate differs from "
                    + runs.get(0).label() + "'s at the same rate beyond 10% and the measurement error"
                    + (unproven == 0
                            ? "."
                            : ": " + unproven + " differ by more than 10% (see the charts), but not by more than"
                                    + " the noise between runs or a small capacity change amplified by"
                                    + " queueing explains (compare's rule; more runs of each narrow it)."));
        } else if (unproven > 0) {
            out.add(unproven + " more p99 or throughput figures differ by more than 10% at one rate, but not by more"
                    + " than the noise between runs or queueing explains (compare's rule).");
        }
        out.addAll(capacities(runs));
        List<String> things = differingThings(facts);
        if (things.size() > 1) out.add(0, "The runs differ in " + String.join("; ", things) + ": more than one thing.");
        return out;
    }

    /** "mixed loop, both offered 2,700 req/s" from a compare key's parameters: the runs are compared at one rate. */
    private static String point(String params, int runs) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String kv : params.split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) p.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        String rate = p.get("rate");
        double r = rate == null ? Double.NaN : Double.parseDouble(rate);
        return p.getOrDefault("load", "?") + " " + p.getOrDefault("runtime", "?")
                + (Double.isFinite(r) ? ", both offered " + NumberText.rate(r) + " req/s" : "")
                + (p.containsKey("loadFraction") ? " x" + p.get("loadFraction") : "");
    }

    /**
     * One sentence per load and runtime whose capacity at the objective differs between runs by more
     * than one rung of the ladder (a rate of the load's ladder lies strictly between the lowest and the
     * highest): two quick runs of one commit here differed by one rung, so one rung is not a difference.
     */
    static List<String> capacities(List<Run> runs) {
        List<String> out = new ArrayList<>();
        for (String load : ResultsDir.LOADS) {
            Set<Double> rungs = new TreeSet<>();
            runs.forEach(r -> r.dir().loadPoints().stream()
                    .filter(p -> p.load().equals(load))
                    .forEach(p -> rungs.add(p.rateValue())));
            for (String runtime : ResultsDir.RUNTIMES) {
                List<String> parts = new ArrayList<>();
                double lo = Double.MAX_VALUE;
                double hi = 0;
                for (Run r : runs) {
                    ClimbOutcome c = RunsCharts.climb(r, load, runtime);
                    if (c == null) continue;
                    double v = c.sloCapacity();
                    parts.add((Double.isFinite(v) ? NumberText.rate(v) + " req/s" : "none") + " on " + r.label());
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
                final double low = lo;
                final double high = hi;
                long between = rungs.stream().filter(x -> x > low && x < high).count();
                if (between == 0) continue;
                out.add(load + " " + runtime + ", the highest offered rate sustained with p99 within "
                        + NumberText.plain(RunsCharts.objective(runs, load)) + " ms: " + String.join(", ", parts) + " ("
                        + (between + 1)
                        + " rungs of the ladder apart; one rung is within the noise of one run)");
            }
        }
        return out;
    }

    private static List<JmhResult> loadResults(Run r) {
        return IntervalSamples.attach(
                r.dir().dir(),
                r.dir().loadPoints().stream().map(LoadPoint::result).toList());
    }
}
