package loopbench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import loopbench.bench.ladder.SaturationRule;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * The charts of a several-run report, faceted by runtime so that what differs between runs is what
 * a chart's lines differ in: per load and runtime, p99 against the offered rate with one line per
 * run (the runs offered the same rates, so each vertical compares them at one rate) and the load's
 * objective, leaving out the points a run fell behind at or marked invalid (their latency measures
 * how long the point lasted, not the runtime, as compare has it); per load, each
 * runtime's capacity at the objective as bars, one per run. A run has the same colour and stroke in
 * every chart; colour here means the run, so the runtime is in the title, not in a colour.
 */
final class RunsCharts {
    private static final Color[] COLORS = {
        new Color(0x333333), new Color(0xd62728), new Color(0x1f77b4), new Color(0x9467bd), new Color(0x8c564b)
    };
    private static final BasicStroke[] STROKES = {ChartStyle.SOLID, ChartStyle.DASHED, ChartStyle.DOTTED};

    private RunsCharts() {}

    static Color color(int run) {
        return COLORS[run % COLORS.length];
    }

    /** p99 against offered rate of one runtime under one load, a line per run; null when no run has a point. */
    static XYChart latencyVsRate(List<RunsReport.Run> runs, String load, String runtime) {
        XYChart chart = ChartStyle.xy(
                load + ", " + runtime + ": p99 against offered rate where it kept up, one line per run",
                ChartStyle.RATE_AXIS,
                "p99 (ms, log scale)");
        ChartStyle.Extent ext = new ChartStyle.Extent();
        for (int i = 0; i < runs.size(); i++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (LoadPoint p : points(runs.get(i), load, runtime)) {
                double ms = p.micros("latency.p99") / 1000;
                if (!(ms > 0) || !(p.rateValue() > 0) || !keptUp(p)) continue;
                xs.add(p.rateValue());
                ys.add(ms);
                ext.add(p.rateValue(), ms);
            }
            if (xs.isEmpty()) continue;
            XYSeries s = chart.addSeries(runs.get(i).label(), xs, ys);
            s.setLineColor(color(i));
            s.setMarkerColor(color(i));
            s.setLineStyle(STROKES[i % STROKES.length]);
        }
        if (chart.getSeriesMap().isEmpty()) return null;
        double slo = objective(runs, load);
        if (Double.isFinite(slo)) ChartStyle.objective(chart, slo, ext);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        ChartStyle.latencyAgainstRate(chart, ext);
        return chart;
    }

    /** Each runtime's capacity at the objective under one load, a bar per run; null when no run has a climb. */
    static CategoryChart capacity(List<RunsReport.Run> runs, String load) {
        List<String> runtimes = ResultsDir.RUNTIMES.stream()
                .filter(rt -> runs.stream().anyMatch(r -> climb(r, load, rt) != null))
                .toList();
        if (runtimes.isEmpty()) return null;
        double slo = objective(runs, load);
        CategoryChart chart = ChartStyle.category(
                load + ": capacity at the objective"
                        + (Double.isFinite(slo) ? " (p99 within " + NumberText.plain(slo) + " ms)" : "")
                        + ", one bar per run",
                "Runtime",
                "Highest offered rate sustained (requests/s)");
        double max = 0;
        for (int i = 0; i < runs.size(); i++) {
            List<Double> ys = new ArrayList<>();
            for (String rt : runtimes) {
                ClimbOutcome c = climb(runs.get(i), load, rt);
                double v = c == null ? Double.NaN : c.sloCapacity();
                ys.add(Double.isFinite(v) ? v : 0.0);
                if (Double.isFinite(v)) max = Math.max(max, v);
            }
            CategorySeries s = chart.addSeries(runs.get(i).label(), runtimes, ys);
            s.setFillColor(color(i));
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(max * 1.1);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        return chart;
    }

    /** The load's p99 objective, in ms, as the runs' climbs state it; NaN when none does. */
    static double objective(List<RunsReport.Run> runs, String load) {
        return runs.stream()
                .flatMap(r -> r.dir().climbs().stream())
                .filter(c -> c.load().equals(load))
                .mapToDouble(ClimbOutcome::sloP99Ms)
                .filter(Double::isFinite)
                .findFirst()
                .orElse(Double.NaN);
    }

    /** Valid, and completed at least {@link SaturationRule#KEEP_UP} of the requests due. */
    private static boolean keptUp(LoadPoint p) {
        return p.result().invalidReason() == null && p.outcome().keptUp(SaturationRule.KEEP_UP);
    }

    static ClimbOutcome climb(RunsReport.Run run, String load, String runtime) {
        return run.dir().climbs().stream()
                .filter(c -> c.load().equals(load) && Objects.equals(c.runtime(), runtime))
                .findFirst()
                .orElse(null);
    }

    static List<LoadPoint> points(RunsReport.Run run, String load, String runtime) {
        return run.dir().loadPoints().stream()
                .filter(p -> p.load().equals(load) && p.runtime().equals(runtime))
                .sorted(Comparator.comparingDouble(LoadPoint::rateValue))
                .toList();
    }
}
