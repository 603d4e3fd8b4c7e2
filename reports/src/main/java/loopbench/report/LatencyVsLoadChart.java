package loopbench.report;

import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The hockey stick: p50 (dashed), p99 (solid) and p99.9 (dotted) latency against the offered rate
 * in requests per second, both axes logarithmic, one colour per runtime, a dotted vertical line
 * where each runtime saturated ({@link LoadGroup#saturation}: the first of the two overloaded
 * rates that ended its climb), and the load's p99 objective as a grey line. The x axis is always
 * the absolute rate, never a share of each runtime's own capacity estimate: only then do two curves
 * at the same x describe the same offered load, and each model's curve ends visibly where it
 * saturates. A point marked invalid (too few requests completed for its percentiles, typically past
 * saturation) draws no latency: its percentiles describe only the few requests that got through,
 * and a p99.9 of 57 requests once drew a spike that looked like a measurement. The saturation line
 * still marks where the runtime stopped.
 */
public final class LatencyVsLoadChart {
    private static final Map<String, BasicStroke> PERCENTILES =
            Map.of("p50", ChartStyle.DASHED, "p99", ChartStyle.SOLID, "p99.9", ChartStyle.DOTTED);

    private LatencyVsLoadChart() {}

    /** The chart, or null when no point has a latency. */
    public static XYChart build(LoadGroup group) {
        XYChart chart = ChartStyle.xy(
                group.load() + ": latency against offered rate",
                ChartStyle.RATE_AXIS,
                "Corrected latency (ms, log scale)");
        ChartStyle.Extent ext = new ChartStyle.Extent();
        Map<String, Double> saturations = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<LoadPoint>> e : group.byRuntime().entrySet()) {
            List<LoadPoint> pts = e.getValue().stream()
                    .sorted(java.util.Comparator.comparingDouble(LoadPoint::rateValue))
                    .toList();
            for (String pct : List.of("p99", "p50", "p99.9")) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (LoadPoint p : pts) {
                    if (p.result().invalidReason() != null) continue;
                    double ms = p.micros("latency." + pct) / 1000;
                    if (Double.isFinite(ms) && ms > 0 && p.rateValue() > 0) {
                        xs.add(p.rateValue());
                        ys.add(ms);
                        ext.add(p.rateValue(), ms);
                    }
                }
                if (!xs.isEmpty()) {
                    XYSeries s = chart.addSeries(e.getKey() + " " + pct, xs, ys);
                    ChartStyle.line(s, e.getKey(), PERCENTILES.get(pct));
                    s.setMarker(pct.equals("p99") ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
                }
            }
            double sat = group.saturation(e.getKey());
            if (pts.stream().anyMatch(p -> p.rateValue() == sat)) {
                saturations.put(e.getKey(), sat);
            }
        }
        if (group.rule() != null && !ext.isEmpty() && !group.byFraction()) {
            ChartStyle.objective(chart, group.rule().sloP99Millis(), ext);
        }
        if (chart.getSeriesMap().isEmpty()) {
            return null;
        }
        // a vertical line in the runtime's colour: a marker on the curve hides under its circles
        for (Map.Entry<String, Double> e : saturations.entrySet()) {
            XYSeries s = chart.addSeries(
                    e.getKey() + " saturates (" + NumberText.rate(e.getValue()) + " req/s)",
                    List.of(e.getValue(), e.getValue()),
                    List.of(ChartStyle.decadeBelow(ext.lo), ChartStyle.decadeAbove(ext.hi)));
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(ChartStyle.color(e.getKey()));
            s.setLineStyle(ChartStyle.DOTTED);
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        ChartStyle.latencyAgainstRate(chart, ext);
        return chart;
    }
}
