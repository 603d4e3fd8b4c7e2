package loopbench.report;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

/**
 * The micro suite as grouped bars: one group per operation, one bar per runtime (and Node when
 * node.json is there), in ns/op on a log axis because operations differ by orders of magnitude.
 * Large suites are split over several charts so the operation names stay readable.
 */
public final class MicroSuiteChart {
    static final int OPS_PER_CHART = 8;

    private MicroSuiteChart() {}

    /** One chart per group of up to {@value #OPS_PER_CHART} operations; empty when there is nothing to draw. */
    public static List<CategoryChart> build(MicroSuite suite) {
        List<CategoryChart> charts = new ArrayList<>();
        List<MicroSuite.Op> ops = suite.ops();
        int parts = (ops.size() + OPS_PER_CHART - 1) / OPS_PER_CHART;
        for (int part = 0; part < parts; part++) {
            List<MicroSuite.Op> slice =
                    ops.subList(part * OPS_PER_CHART, Math.min(ops.size(), (part + 1) * OPS_PER_CHART));
            CategoryChart chart = chart(suite, slice, parts == 1 ? "" : " (" + (part + 1) + " of " + parts + ")");
            if (chart != null) {
                charts.add(chart);
            }
        }
        return charts;
    }

    private static CategoryChart chart(MicroSuite suite, List<MicroSuite.Op> ops, String partText) {
        CategoryChart chart = ChartStyle.category(
                "Micro-benchmarks: time per operation" + partText,
                "Operation",
                "Time per operation (ns/op, log scale; lower is better)");
        List<String> names = ops.stream().map(MicroSuite.Op::name).toList();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        List<String> series = new ArrayList<>(suite.runtimes());
        if (suite.nodeVersion() != null) {
            series.add("node");
        }
        for (String rt : series) {
            List<Double> ys = new ArrayList<>();
            boolean any = false;
            for (MicroSuite.Op op : ops) {
                double v = rt.equals("node") ? op.nodeNanos() : op.nanos(rt);
                if (Double.isFinite(v) && v > 0) {
                    ys.add(v);
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    any = true;
                } else {
                    ys.add(null);
                }
            }
            if (any) {
                String label = rt.equals("node") ? "Node " + suite.nodeVersion() : rt;
                CategorySeries s = chart.addSeries(label, names, ys);
                s.setFillColor(ChartStyle.color(rt));
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            return null;
        }
        var st = chart.getStyler();
        st.setYAxisLogarithmic(true);
        st.setYAxisMin(ChartStyle.decadeBelow(lo)).setYAxisMax(ChartStyle.decadeAbove(hi));
        st.setYAxisDecimalPattern("#,##0.##");
        st.setXAxisLabelRotation(names.stream().mapToInt(String::length).sum() > 90 ? 25 : 0);
        return chart;
    }
}
