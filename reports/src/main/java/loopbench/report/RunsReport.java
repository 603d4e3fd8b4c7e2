package loopbench.report;

import java.awt.BasicStroke;
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
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * Several runs in one report ({@code report RUN_DIR RUN_DIR...}): JDK 21 against 25, G1 against
 * ZGC, yesterday's commit against today's. Each run has a label (given, or the facts in which it
 * differs from the others); an environment table shows those facts and warns when the runs differ
 * in more than one thing; per load, a table puts the runs' p99 and throughput side by side at each
 * offered rate and a chart overlays their p99 against the rate (colour: runtime, stroke: run); the
 * summary names each difference of the first run's p99 or throughput with another run's that
 * {@code compare}'s test finds beyond its threshold and significant.
 */
public final class RunsReport {
    private static final BasicStroke[] STROKES = {ChartStyle.SOLID, ChartStyle.DASHED, ChartStyle.DOTTED};
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
            XYChart chart = chart(runs, load);
            if (chart != null) {
                ChartFile f = ChartFile.write(chart, out.resolve("charts"), "runs-latency-vs-load-" + load);
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

    private static XYChart chart(List<Run> runs, String load) {
        XYChart chart = ChartStyle.xy(
                load + ": p99 against offered rate, by run",
                "Offered rate (requests/s, log scale)",
                "p99 (ms, log scale)");
        double lo = Double.MAX_VALUE;
        double hi = 0;
        double xlo = Double.MAX_VALUE;
        double xhi = 0;
        for (int i = 0; i < runs.size(); i++) {
            Map<String, List<LoadPoint>> byRuntime = new LinkedHashMap<>();
            for (LoadPoint p : runs.get(i).dir().loadPoints()) {
                if (p.load().equals(load))
                    byRuntime
                            .computeIfAbsent(p.runtime(), k -> new ArrayList<>())
                            .add(p);
            }
            for (var e : byRuntime.entrySet()) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (LoadPoint p : e.getValue().stream()
                        .sorted(Comparator.comparingDouble(LoadPoint::rateValue))
                        .toList()) {
                    double ms = p.micros("latency.p99") / 1000;
                    if (!(ms > 0) || !(p.rateValue() > 0)) continue;
                    xs.add(p.rateValue());
                    ys.add(ms);
                    lo = Math.min(lo, ms);
                    hi = Math.max(hi, ms);
                    xlo = Math.min(xlo, p.rateValue());
                    xhi = Math.max(xhi, p.rateValue());
                }
                if (xs.isEmpty()) continue;
                XYSeries s = chart.addSeries(e.getKey() + ", " + runs.get(i).label(), xs, ys);
                ChartStyle.line(s, e.getKey(), STROKES[i % STROKES.length]);
            }
        }
        if (chart.getSeriesMap().isEmpty()) return null;
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        ChartStyle.latencyAgainstRate(chart, lo, hi, xlo, xhi);
        return chart;
    }

    /**
     * One sentence per p99 or throughput of a point in which another run differs from the first
     * beyond compare's threshold and significantly (its verdict is a regression or an improvement).
     */
    static List<String> summary(List<Run> runs, List<Map<String, String>> facts) {
        List<String> out = new ArrayList<>();
        if (runs.size() < 2) return out;
        var first = RegressionCheck.pool(List.of(loadResults(runs.get(0))));
        for (Run other : runs.subList(1, runs.size())) {
            var outcome = RegressionCheck.compare(
                    first, RegressionCheck.pool(List.of(loadResults(other))), 10, RegressionCheck.ALPHA);
            for (RegressionCheck.Row row : outcome.rows()) {
                boolean shown = row.key().metric().equals("latency.p99")
                        || row.key().metric().equals(RegressionCheck.PRIMARY);
                if (!shown || (row.verdict() != Verdict.REGRESSION && row.verdict() != Verdict.IMPROVEMENT)) continue;
                boolean p99 = row.key().metric().equals("latency.p99");
                String what = p99 ? "p99 " : "throughput ";
                String unit = p99 ? " ms" : " req/s";
                double scale = p99 ? 1e-3 : 1;
                out.add(point(row.key().params()) + ": " + what
                        + NumberText.sig(row.baseline().score() * scale) + unit
                        + " on " + runs.get(0).label() + ", "
                        + NumberText.sig(row.current().score() * scale) + unit
                        + " on " + other.label() + " ("
                        + String.format(java.util.Locale.ROOT, "%+.0f%%", row.changePct())
                        + "; " + row.note() + ")");
            }
        }
        if (out.isEmpty()) {
            out.add("No run's p99 or throughput differs from " + runs.get(0).label()
                    + "'s beyond 10% and the measurement error.");
        }
        List<String> things = differingThings(facts);
        if (things.size() > 1) out.add(0, "The runs differ in " + String.join("; ", things) + ": more than one thing.");
        return out;
    }

    /** "mixed loop x0.5" from a compare key's parameters. */
    private static String point(String params) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String kv : params.split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) p.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return p.getOrDefault("load", "?") + " " + p.getOrDefault("runtime", "?")
                + (p.containsKey("rate") ? " at " + p.get("rate") + " req/s" : "")
                + (p.containsKey("loadFraction") ? " x" + p.get("loadFraction") : "");
    }

    private static List<JmhResult> loadResults(Run r) {
        return IntervalSamples.attach(
                r.dir().dir(),
                r.dir().loadPoints().stream().map(LoadPoint::result).toList());
    }
}
