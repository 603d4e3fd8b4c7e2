package loopbench.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

/**
 * Achieved throughput per load, one bar per runtime, each at that runtime's highest offered
 * rate: whether a model keeps up when pushed hardest. The offered rate is part of the category
 * label when all runtimes were offered the same.
 */
public final class ThroughputChart {
    private ThroughputChart() {}

    /** The chart, or null when no load has a throughput. */
    public static CategoryChart build(List<LoadGroup> groups) {
        Set<String> runtimes = new LinkedHashSet<>();
        groups.forEach(g -> runtimes.addAll(g.byRuntime().keySet()));
        List<String> categories = new ArrayList<>();
        for (LoadGroup g : groups) {
            Set<Double> rates = new LinkedHashSet<>();
            g.highestRate().values().forEach(p -> rates.add(p.rateValue()));
            categories.add(
                    rates.size() == 1
                            ? g.load() + " (offered "
                                    + NumberText.rate(rates.iterator().next()) + "/s)"
                            : g.load());
        }
        CategoryChart chart = ChartStyle.category(
                "Achieved throughput at the highest offered rate", "Load", "Achieved throughput (requests/s)");
        for (String rt : runtimes) {
            List<Double> ys = new ArrayList<>();
            boolean any = false;
            for (LoadGroup g : groups) {
                LoadPoint p = g.highestRate().get(rt);
                double v = p == null ? Double.NaN : p.throughput();
                any |= Double.isFinite(v);
                ys.add(Double.isFinite(v) ? v : null);
            }
            if (any) {
                CategorySeries s = chart.addSeries(rt, categories, ys);
                s.setFillColor(ChartStyle.color(rt));
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            return null;
        }
        double max = chart.getSeriesMap().values().stream()
                .flatMap(se -> se.getYData().stream())
                .filter(java.util.Objects::nonNull)
                .mapToDouble(Number::doubleValue)
                .max()
                .orElse(1);
        chart.getStyler()
                .setYAxisMin(0.0)
                .setYAxisMax(max * 1.1); // headroom so the tallest bar is not cut by the frame
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        return chart;
    }
}
