package loopbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import loopbench.core.io.AtomicFile;
import loopbench.schema.RunFiles;
import loopbench.schema.RunInfo;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Turns a run directory into report.md, report.html and the charts (PNG and SVG) under
 * {@code OUT/charts}. Draws whatever the run has; what it lacks is listed at the top.
 */
public final class ReportGenerator {
    private final ResultsDir dir;
    private final Path out;
    private final Path chartsDir;
    private final List<ChartFile> charts = new ArrayList<>();

    /** Where the report went. */
    public record Output(Path html, Path markdown, List<ChartFile> charts, Report report) {}

    private ReportGenerator(ResultsDir dir, Path out) {
        this.dir = dir;
        this.out = out;
        this.chartsDir = out.resolve("charts");
    }

    public static Output generate(ResultsDir dir, Path out) throws IOException {
        return new ReportGenerator(dir, out).run();
    }

    private Output run() throws IOException {
        List<LoadGroup> groups = LoadGroup.of(dir.loadPoints(), dir.climbs());
        MicroSuite micro = MicroSuite.of(dir.micro(), dir.node());
        List<Report.Section> sections = new ArrayList<>();
        String shared = sharedMachineWarning();
        sections.add(new Report.Section(
                "Run",
                shared == null ? List.of(metadata()) : List.of(new Report.Text("Warning: " + shared), metadata())));
        for (LoadGroup g : groups) {
            sections.add(loadSection(g));
        }
        if (!groups.isEmpty()) {
            Chart<?, ?> thr = ThroughputChart.build(groups);
            if (thr != null) {
                sections.add(new Report.Section("Throughput", List.of(chart(thr, "throughput"))));
            }
        }
        if (!micro.ops().isEmpty()) {
            sections.add(microSection(micro));
        }
        Report.Section jfr = jfrSection();
        if (jfr != null) {
            sections.add(jfr);
        }
        sections.add(filesSection());

        Report report = new Report(
                "Loopbench report: " + dir.dir().toAbsolutePath().normalize().getFileName(),
                partialNotice(),
                dir.problems(),
                Findings.of(groups, micro),
                sections);
        Path md = out.resolve("report.md");
        Path html = out.resolve("report.html");
        AtomicFile.write(md, MarkdownReport.render(report, out));
        AtomicFile.write(html, HtmlReport.render(report));
        if (!dir.loadPoints().isEmpty())
            AtomicFile.write(out.resolve("points.csv"), PointsCsv.render(dir.loadPoints()));
        return new Output(html, md, List.copyOf(charts), report);
    }

    private String partialNotice() {
        if (!dir.partial()) {
            return null;
        }
        RunInfo run = dir.run();
        String reason = run == null ? null : run.partialReason();
        if (reason == null && run != null && run.finished() == null) {
            reason = "the run did not finish";
        }
        return "Partial run" + (reason != null ? ": " + reason : "") + ". Some results are missing (listed below).";
    }

    /** run.json's warning that the measured runtime, the generator and the backend shared too few cores, or null. */
    private String sharedMachineWarning() {
        RunInfo run = dir.run();
        if (run == null || run.options() == null) {
            return null;
        }
        JsonNode warning = run.options().path("placement").path("warning");
        return warning.isTextual() ? warning.asText() + "." : null;
    }

    private Report.Block metadata() {
        RunInfo run = dir.run();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Directory", dir.dir().toAbsolutePath().normalize().toString()));
        if (run == null) {
            rows.add(List.of("run.json", "missing or unreadable"));
            return new Report.Table(List.of("property", "value"), rows, 99);
        }
        rows.add(List.of("Profile", or(run.profile())));
        rows.add(List.of("Started", or(run.started())));
        rows.add(List.of(
                "Finished",
                run.finished() == null
                        ? "did not finish"
                        : run.finished() + duration(or(run.started()), run.finished())));
        rows.add(List.of(
                "Partial",
                run.partial()
                        ? "yes: " + (run.partialReason() == null ? "no reason given" : run.partialReason())
                        : "no"));
        RunInfo.Jdk jdk = run.jdk();
        rows.add(List.of("JDK", jdk == null ? "–" : join(jdk.version(), jdk.vendor(), jdk.vm())));
        RunInfo.Jvm jvm = run.jvm();
        if (jvm != null) {
            rows.add(List.of(
                    "Measured JVMs",
                    join(jvm.version(), jvm.vendor(), or(jvm.gc()) + " GC", jvm.javaHome()) + "; "
                            + String.join(" ", jvm.args() == null ? List.of() : jvm.args())));
        }
        rows.add(List.of(
                "OS", run.os() == null ? "–" : join(run.os().name(), run.os().arch())));
        rows.add(List.of(
                "CPU",
                run.cpu() == null
                        ? "–"
                        : join(run.cpu().model())
                                + (run.cpu().cores() != null ? ", " + run.cpu().cores() + " cores" : "")));
        RunInfo.Git git = run.git();
        rows.add(List.of(
                "Git commit",
                git == null ? "–" : or(git.commit()) + (Boolean.TRUE.equals(git.dirty()) ? " (dirty)" : "")));
        rows.add(List.of("Node", run.node() != null ? or(run.node().version()) : "not used"));
        if (run.options() != null && run.options().isObject()) {
            // one row per option, as text: a JSON blob in a table cell is unreadable
            run.options()
                    .properties()
                    .forEach(e -> rows.add(List.of("Option " + e.getKey(), optionText(e.getValue()))));
        }
        if (run.capacity() != null) {
            run.capacity().forEach((load, byRuntime) -> {
                List<String> parts = new ArrayList<>();
                byRuntime.forEach((rt, v) -> parts.add(rt + " " + NumberText.rate(v == null ? Double.NaN : v)));
                rows.add(List.of("Capacity, " + load + " (req/s, estimated)", String.join(", ", parts)));
            });
        }
        JsonNode harness = run.harness();
        if (harness != null && harness.isObject()) {
            JsonNode sched = harness.path("schedule");
            rows.add(List.of(
                    "Harness cost",
                    harness.path("perRequestNanos").asText("–") + " ns per request; a no-op request gains p50 +"
                            + harness.path("noopAddedLatencyP50Nanos").asText("–") + " ns, p99 +"
                            + harness.path("noopAddedLatencyP99Nanos").asText("–") + " ns"));
            if (sched.isObject()) {
                rows.add(List.of(
                        "Generator at " + NumberText.rate(sched.path("rate").asDouble()) + " req/s",
                        NumberText.rate(sched.path("lateStarts").asDouble()) + " late starts of "
                                + NumberText.rate(sched.path("issued").asDouble()) + "; start delay p99 "
                                + sched.path("startDelayP99Us").asText("–") + " µs"));
            }
        }
        return new Report.Table(List.of("property", "value"), rows, 99);
    }

    /** {@code a, b} for a list, {@code key value; key value} for an object, numbers as the tables print them. */
    static String optionText(JsonNode v) {
        if (v.isNumber()) {
            double d = v.asDouble();
            return d == Math.rint(d) ? NumberText.count(d) : NumberText.plain(d);
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(optionText(i)));
            return String.join(", ", items);
        }
        if (v.isObject()) {
            List<String> fields = new ArrayList<>();
            v.properties().forEach(e -> fields.add(e.getKey() + " " + optionText(e.getValue())));
            return String.join("; ", fields);
        }
        return v.isNull() ? "–" : v.asText();
    }

    private Report.Section loadSection(LoadGroup g) throws IOException {
        List<Report.Block> blocks = new ArrayList<>();
        blocks.add(new Report.Text("Latencies are corrected for coordinated omission, in ms; \"uncorr. p99\" is the "
                + "uncorrected p99 (from the actual start, not the intended one). CPU is process CPU time."));
        Report.Block capacities = capacityTable(g);
        if (capacities != null) {
            blocks.add(capacities);
        }
        List<List<String>> rows = new ArrayList<>();
        for (var pts : g.byRuntime().values()) {
            for (LoadPoint p : pts) {
                rows.add(List.of(
                        p.runtime(),
                        Double.isFinite(p.loadFraction()) ? LoadGroup.percent(p.loadFraction()) : verdict(g, p),
                        NumberText.rate(p.rateValue()),
                        NumberText.sig(p.throughput()),
                        latency(p, "latency.p50", 50),
                        latency(p, "latency.p90", 90),
                        latency(p, "latency.p99", 99),
                        latency(p, "latency.p99.9", 99.9),
                        latency(p, "latency.max", 100),
                        NumberText.ms(p.micros("uncorrected.p99")),
                        NumberText.count(p.value("cpu.ms")),
                        NumberText.count(p.value("lateStarts"))));
            }
        }
        blocks.add(new Report.Table(
                List.of(
                        "runtime",
                        g.byFraction() ? "load" : "verdict",
                        "rate (req/s)",
                        "throughput (req/s)",
                        "p50",
                        "p90",
                        "p99",
                        "p99.9",
                        "max",
                        "uncorr. p99",
                        "CPU ms",
                        "late starts"),
                rows,
                1));
        RunInfo run = dir.run();
        blocks.addAll(ServiceTable.blocks(
                g, run == null || run.capacity() == null ? null : run.capacity().get(g.load())));
        String name = slug(g.load());
        List<String> notes = new ArrayList<>();
        Chart<?, ?> spectrum = PercentileSpectrumChart.build(g, dir, notes);
        if (spectrum != null) {
            blocks.add(chart(spectrum, "spectrum-" + name));
        }
        notes.forEach(n -> blocks.add(new Report.Text("Note: " + n + ".")));
        Chart<?, ?> vsLoad = LatencyVsLoadChart.build(g);
        if (vsLoad != null) {
            blocks.add(chart(vsLoad, "latency-vs-load-" + name));
        }
        Chart<?, ?> lag = LoopLagChart.build(g, dir);
        if (lag != null) {
            blocks.add(chart(lag, "lag-" + name));
        }
        return new Report.Section("Load: " + g.load(), blocks);
    }

    /** How the ladder's rule judged a point: sustained, or what was wrong. */
    private static String verdict(LoadGroup g, LoadPoint p) {
        if (g.sustained(p)) {
            return "sustained";
        }
        String why = g.rule() == null ? null : g.rule().why(p.outcome());
        return why == null ? "kept up, under 99%" : ClimbOutcome.words(why);
    }

    /**
     * Each runtime's capacity within the objective beside its closed-loop estimate, where it saturated
     * and why its climb stopped; null for a run at fractions of capacity.
     */
    private static Report.Block capacityTable(LoadGroup g) {
        if (g.byFraction() || g.rule() == null) {
            return null;
        }
        List<List<String>> rows = new ArrayList<>();
        for (String rt : g.byRuntime().keySet()) {
            ClimbOutcome c = g.climbs().get(rt);
            LoadPoint cap = g.atSloCapacity(rt);
            double sat = g.saturation(rt);
            rows.add(List.of(
                    rt,
                    cap == null ? "none" : NumberText.rate(cap.rateValue()),
                    c == null ? "–" : NumberText.rate(c.estimate()),
                    Double.isNaN(sat) ? "–" : NumberText.rate(sat),
                    c == null ? (Double.isNaN(sat) ? "–" : "saturated") : c.stopWords()));
        }
        return new Report.Table(
                List.of(
                        "runtime",
                        "capacity within p99 " + NumberText.plain(g.rule().sloP99Millis()) + " ms (req/s)",
                        "closed-loop estimate (req/s)",
                        "saturated at (req/s)",
                        "stopped because"),
                rows,
                1);
    }

    /** A latency percentile in ms from the harness's metric, else from the hlog file. */
    private String latency(LoadPoint p, String metric, double percentile) {
        double us = p.micros(metric);
        if (!Double.isFinite(us)) {
            Histogram h = dir.histogram(p, true);
            if (h != null) {
                us = (percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile)) / 1000.0;
            }
        }
        return NumberText.ms(us);
    }

    private Report.Section microSection(MicroSuite micro) throws IOException {
        List<Report.Block> blocks = new ArrayList<>();
        List<org.knowm.xchart.CategoryChart> microCharts = MicroSuiteChart.build(micro);
        for (int i = 0; i < microCharts.size(); i++) {
            blocks.add(chart(microCharts.get(i), microCharts.size() == 1 ? "micro" : "micro-" + (i + 1)));
        }
        boolean hasBaseline = micro.runtimes().contains(MicroSuite.BASELINE);
        blocks.add(new Report.Text("Average time per operation (JMH avgt, ± is the 99.9% confidence half-width). "
                + "\"vs baseline\" divides by the plain-Java baseline of the same operation, \"vs Node\" by Node's time; "
                + "above 1x means slower."));
        List<List<String>> rows = new ArrayList<>();
        for (MicroSuite.Op op : micro.ops()) {
            double base = op.nanos(MicroSuite.BASELINE);
            for (String rt : micro.runtimes()) {
                double ns = op.nanos(rt);
                if (!Double.isFinite(ns)) {
                    continue;
                }
                rows.add(List.of(
                        op.name(),
                        rt,
                        NumberText.sig(ns),
                        NumberText.sig(op.errorNanos(rt)),
                        NumberText.sig(op.allocBytes(rt)),
                        rt.equals(MicroSuite.BASELINE) || !hasBaseline ? "–" : NumberText.times(ns / base),
                        NumberText.times(ns / op.nodeNanos())));
            }
            if (Double.isFinite(op.nodeNanos())) {
                rows.add(List.of(
                        op.name(), "Node " + micro.nodeVersion(), NumberText.sig(op.nodeNanos()), "–", "–", "–", "1x"));
            }
        }
        blocks.add(new Report.Table(
                List.of("operation", "runtime", "ns/op", "±", "B/op", "vs baseline", "vs Node"), rows, 2));
        return new Report.Section("Micro-benchmarks", blocks);
    }

    private Report.Section jfrSection() {
        if (dir.jfrFiles().isEmpty() && dir.jfrSummary() == null) {
            return null;
        }
        List<Report.Block> blocks = new ArrayList<>();
        if (!dir.jfrFiles().isEmpty()) {
            blocks.add(new Report.Text("Flight recordings (open with JDK Mission Control or `jfr print`): "
                    + String.join(
                            ", ",
                            dir.jfrFiles().stream()
                                    .map(f -> dir.dir().relativize(f).toString())
                                    .toList())));
        }
        if (dir.jfrSummary() != null) {
            String json = RunFiles.toJson(dir.jfrSummary());
            blocks.add(new Report.Text(
                    "jfr-summary.json" + (json.length() > 6000 ? " (first 6,000 characters)" : "") + ":"));
            blocks.add(new Report.Code(json.length() > 6000 ? json.substring(0, 6000) + "\n…" : json));
        }
        return new Report.Section("JFR recordings", blocks);
    }

    private Report.Section filesSection() {
        String list = charts.isEmpty()
                ? "No charts: nothing in this run could be drawn."
                : "Every chart is also written as SVG in " + out.relativize(chartsDir) + "/: "
                        + String.join(
                                ", ",
                                charts.stream()
                                        .map(c -> c.svg().getFileName().toString())
                                        .toList()) + ".";
        return new Report.Section("Files", List.of(new Report.Text(list)));
    }

    private Report.Block chart(Chart<?, ?> chart, String name) throws IOException {
        ChartFile file = ChartFile.write(chart, chartsDir, name);
        charts.add(file);
        return new Report.Chart(file);
    }

    static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    private static String join(String... values) {
        List<String> parts = new ArrayList<>();
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                parts.add(v);
            }
        }
        return parts.isEmpty() ? "–" : String.join(", ", parts);
    }

    private static String or(String value) {
        return value == null ? "–" : value;
    }

    private static String duration(String started, String finished) {
        try {
            Duration d = Duration.between(OffsetDateTime.parse(started), OffsetDateTime.parse(finished));
            return String.format(Locale.ROOT, " (%d min %02d s)", d.toMinutes(), d.toSecondsPart());
        } catch (RuntimeException e) {
            return "";
        }
    }
}
