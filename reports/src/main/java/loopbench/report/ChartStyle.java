package loopbench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The look shared by every report chart: one size, readable fonts, and one fixed colour per
 * runtime (by the registry's order) so that a runtime is the same colour in every picture.
 */
public final class ChartStyle {
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 600;

    /** The runtimes' colours, in the registry's order: the first runtime is the same blue in every picture. */
    private static final Color[] RUNTIME_COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};

    private static final Map<String, Color> OTHER_SERIES = Map.of(
            "baseline", new Color(0x7f7f7f),
            "node", new Color(0x9467bd));
    private static final Color[] OTHERS = {
        new Color(0xd62728), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
    };

    static final BasicStroke SOLID = new BasicStroke(2.2f);
    static final BasicStroke DASHED =
            new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f);

    static final BasicStroke DOTTED =
            new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {2f, 4f}, 0f);

    private ChartStyle() {}

    /** The colour of a runtime ("node" for Node.js); unknown names get a stable colour from a spare palette. */
    public static Color color(String runtime) {
        String name = runtime.toLowerCase(java.util.Locale.ROOT);
        int i = ResultsDir.RUNTIMES.indexOf(name);
        if (i >= 0 && i < RUNTIME_COLORS.length) return RUNTIME_COLORS[i];
        Color c = OTHER_SERIES.get(name);
        return c != null ? c : OTHERS[Math.floorMod(runtime.hashCode(), OTHERS.length)];
    }

    static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        common(chart.getStyler());
        chart.getStyler().setMarkerSize(7);
        return chart;
    }

    static CategoryChart category(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        common(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setAvailableSpaceFill(0.8);
        return chart;
    }

    static void line(XYSeries s, String runtime, boolean dashed) {
        line(s, runtime, dashed ? DASHED : SOLID);
    }

    static void line(XYSeries s, String runtime, BasicStroke stroke) {
        s.setLineColor(color(runtime));
        s.setMarkerColor(color(runtime));
        s.setLineStyle(stroke);
    }

    private static void common(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0x999999));
        s.setPlotGridLinesColor(new Color(0xdddddd));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendBorderColor(new Color(0xbbbbbb));
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        s.setChartTitleBoxVisible(false);
        s.setAntiAlias(true);
    }

    static final String RATE_AXIS = "Offered rate (requests/s, log scale)";

    /** The extent of a latency-against-rate chart's data (ms against req/s), for its log axes' bounds. */
    static final class Extent {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        double xlo = Double.MAX_VALUE;
        double xhi = 0;

        void add(double rate, double ms) {
            lo = Math.min(lo, ms);
            hi = Math.max(hi, ms);
            xlo = Math.min(xlo, rate);
            xhi = Math.max(xhi, rate);
        }

        boolean isEmpty() {
            return xhi == 0;
        }
    }

    /** The load's p99 objective as a grey dashed line across the extent's rates, which then holds it too. */
    static void objective(XYChart chart, double sloMs, Extent e) {
        XYSeries s = chart.addSeries(
                "p99 objective (" + NumberText.plain(sloMs) + " ms)",
                List.of(decadeBelow(e.xlo), decadeAbove(e.xhi)),
                List.of(sloMs, sloMs));
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(Color.GRAY);
        s.setLineStyle(DASHED);
        e.lo = Math.min(e.lo, sloMs);
        e.hi = Math.max(e.hi, sloMs);
    }

    static void latencyAgainstRate(XYChart chart, Extent e) {
        latencyAgainstRate(chart, e.lo, e.hi, e.xlo, e.xhi);
    }

    /** Latency (ms, y) against offered rate (req/s, x), both logarithmic, a decade around the data's bounds. */
    static void latencyAgainstRate(XYChart chart, double lo, double hi, double xlo, double xhi) {
        var st = chart.getStyler();
        st.setYAxisLogarithmic(true);
        st.setXAxisLogarithmic(true);
        st.setYAxisMin(decadeBelow(lo)).setYAxisMax(decadeAbove(hi));
        st.setXAxisMin(decadeBelow(xlo)).setXAxisMax(decadeAbove(xhi));
        st.setXAxisDecimalPattern("#,##0.##");
        st.setYAxisDecimalPattern("#,##0.###");
    }

    /** A log axis needs explicit bounds a whole decade around the data, or XChart refuses bars and pads oddly. */
    static double decadeBelow(double v) {
        return Math.pow(10, Math.floor(Math.log10(v)));
    }

    static double decadeAbove(double v) {
        return Math.pow(10, Math.ceil(Math.log10(v) + 1e-9));
    }
}
