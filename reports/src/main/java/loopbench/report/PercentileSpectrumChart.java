package loopbench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Latency by percentile for the three runtimes under one load, the classic HdrHistogram plot:
 * x is -log10(1-p) so that 90%, 99%, 99.9% and 99.99% are evenly spaced and the tail gets the
 * room it deserves. XChart 3.8.8 draws a log axis linearly once a tick formatter is set, so the
 * axis is linear in that transformed value and the formatter names the whole-number ticks;
 * 50% (x = log10 2) is not on XChart's tick grid and gets its own grid line and label.
 * Percentiles come from the corrected .hlog when present, else from the JMH secondary metrics.
 *
 * <p>Solid lines are the runtimes at one offered rate ({@link LoadGroup#choice}); on a ladder, dashed
 * lines add each runtime at its own capacity within the objective ({@link LoadGroup#atSloCapacity}),
 * where that is another rate: the tail each model has at the most it can carry.
 */
public final class PercentileSpectrumChart {
    static final double X_MEDIAN = Math.log10(2);
    private static final double STEP = 0.05;
    private static final double MIN_MS = 0.001;

    private PercentileSpectrumChart() {}

    /** The chart, or null when no runtime has any percentile to draw. */
    public static XYChart build(LoadGroup group, ResultsDir dir, List<String> notes) {
        Map<LoadPoint, double[][]> series = new LinkedHashMap<>();
        List<LoadPoint> drawn = new ArrayList<>(group.chosen().values());
        List<LoadPoint> atCapacity = new ArrayList<>();
        if (!group.byFraction()) {
            for (String rt : group.byRuntime().keySet()) {
                LoadPoint cap = group.atSloCapacity(rt);
                if (cap != null && !drawn.contains(cap)) {
                    atCapacity.add(cap);
                }
            }
            drawn.addAll(atCapacity);
        }
        long maxCount = 0;
        for (LoadPoint p : drawn) {
            Histogram h = dir.histogram(p, true);
            if (h != null) {
                maxCount = Math.max(maxCount, h.getTotalCount());
            }
        }
        double xMax = maxCount >= 200_000 ? 5 : 4;
        for (LoadPoint p : drawn) {
            Histogram h = dir.histogram(p, true);
            double[][] xy = h != null ? fromHistogram(h, xMax) : fromMetrics(p);
            if (h == null && xy[0].length > 0) {
                notes.add(LoadGroup.label(p)
                        + ": no histogram log, drawn from the JMH percentile metrics (p50 to p99.99 only)");
            }
            if (xy[0].length > 0) {
                series.put(p, xy);
            }
        }
        if (series.isEmpty()) {
            return null;
        }
        XYChart chart = ChartStyle.xy(
                group.load() + ": latency by percentile, " + group.choice(),
                "Percentile (corrected for coordinated omission)",
                "Latency (ms, log scale)");
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Map.Entry<LoadPoint, double[][]> e : series.entrySet()) {
            double[] y = e.getValue()[1];
            for (double v : y) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            boolean capacity = atCapacity.contains(e.getKey());
            XYSeries s = chart.addSeries(
                    LoadGroup.label(e.getKey())
                            + (capacity
                                    ? ", its capacity within p99 "
                                            + NumberText.plain(group.rule().sloP99Millis()) + " ms"
                                    : ""),
                    e.getValue()[0],
                    y);
            ChartStyle.line(s, e.getKey().runtime(), capacity);
            s.setMarker(y.length > 10 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.InsideNW);
        st.setXAxisMin(0.0).setXAxisMax(xMax);
        st.setYAxisLogarithmic(true);
        st.setYAxisMin(ChartStyle.decadeBelow(lo)).setYAxisMax(ChartStyle.decadeAbove(hi));
        st.setxAxisTickLabelsFormattingFunction(PercentileSpectrumChart::tickLabel);
        st.setYAxisDecimalPattern("#,##0.###");
        addMedianTick(chart, ChartStyle.decadeBelow(lo), ChartStyle.decadeAbove(hi));
        return chart;
    }

    /** Percentile values at x = 0, 0.05, ... xMax plus the median, in ms. */
    static double[][] fromHistogram(Histogram h, double xMax) {
        List<Double> xs = new ArrayList<>();
        for (int i = 0; i * STEP <= xMax + 1e-9; i++) {
            xs.add(i * STEP);
        }
        xs.add(7, X_MEDIAN); // between 0.30 and 0.35: keeps x sorted
        double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double pct = 100 * (1 - Math.pow(10, -x[i]));
            y[i] = Math.max(MIN_MS, h.getValueAtPercentile(pct) / 1e6);
        }
        return new double[][] {x, y};
    }

    /** The harness's own percentile metrics, for runs whose hlog files are missing. */
    static double[][] fromMetrics(LoadPoint p) {
        String[] names = {"latency.p50", "latency.p90", "latency.p99", "latency.p99.9", "latency.p99.99"};
        double[] xs = {X_MEDIAN, 1, 2, 3, 4};
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            double us = p.micros(names[i]);
            if (Double.isFinite(us)) {
                pts.add(new double[] {xs[i], Math.max(MIN_MS, us / 1000)});
            }
        }
        return new double[][] {
            pts.stream().mapToDouble(a -> a[0]).toArray(),
            pts.stream().mapToDouble(a -> a[1]).toArray()
        };
    }

    /** Whole-number ticks n name the percentile 1 - 10^-n: 0%, 90%, 99%, 99.9%, ...; others stay blank. */
    static String tickLabel(double x) {
        double n = Math.rint(x);
        if (Math.abs(x - n) > 1e-6 || n < 0) {
            return "";
        }
        // 1 - 10^-n as a percentage: 100 - 10^(2-n), written without trailing zeros
        return java.math.BigDecimal.valueOf(100)
                        .subtract(java.math.BigDecimal.ONE.scaleByPowerOfTen(2 - (int) n))
                        .stripTrailingZeros()
                        .toPlainString()
                + "%";
    }

    /** Draws the 50% grid line and puts "50%" in the tick-label row, where XChart would have put it. */
    private static void addMedianTick(XYChart chart, double yMin, double yMax) {
        var st = chart.getStyler();
        st.setAnnotationLineColor(st.getPlotGridLinesColor());
        st.setAnnotationLineStroke(st.getPlotGridLinesStroke());
        st.setAnnotationTextFontColor(st.getAxisTickLabelsColor());
        st.setAnnotationTextFont(st.getAxisTickLabelsFont());
        chart.addAnnotation(new AnnotationLine(X_MEDIAN, true, false));
        BitmapEncoder.getBufferedImage(chart); // lays the chart out, so data -> screen mapping is known
        // the data range fills getPlotContentSize() of the plot; the rest is an even margin at each end
        double bottom = chart.getScreenYFromChart(yMin);
        double top = chart.getScreenYFromChart(yMax);
        double margin = (bottom - top) * (1 / st.getPlotContentSize() - 1) / 2;
        // measured: XChart's tick labels are centred about 3/4 of the font size below the padding
        double labelCentre = bottom
                + margin
                + st.getAxisTickMarkLength()
                + st.getAxisTickPadding()
                + st.getAxisTickLabelsFont().getSize() * 0.75;
        chart.addAnnotation(
                new AnnotationText("50%", chart.getScreenXFromChart(X_MEDIAN), ChartStyle.HEIGHT - labelCentre, true));
    }
}
