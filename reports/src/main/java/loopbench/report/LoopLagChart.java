package loopbench.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Event-loop lag over the run for each runtime under one load (at the same offered load as the
 * percentile spectrum): stalls show up as spikes at the moment they happened. Long series are
 * reduced to the maximum of each time bucket so that no spike is lost.
 */
public final class LoopLagChart {
    static final int MAX_POINTS = 1500;

    private LoopLagChart() {}

    /** The chart, or null when no runtime has a lag CSV. */
    public static XYChart build(LoadGroup group, ResultsDir dir) {
        XYChart chart = ChartStyle.xy(
                group.load() + ": event-loop lag over time, " + group.choice(),
                "Time since start (s)",
                "Loop lag (ms)");
        for (LoadPoint p : group.chosen().values()) {
            LagSeries lag = dir.lag(p);
            if (lag == null || lag.size() == 0) {
                continue;
            }
            double[][] xy = bucketMax(lag.timeMs(), lag.lagMicros(), MAX_POINTS);
            XYSeries s = chart.addSeries(LoadGroup.label(p), xy[0], xy[1]);
            ChartStyle.line(s, p.runtime(), false);
            s.setLineStyle(new java.awt.BasicStroke(1.4f));
            s.setMarker(SeriesMarkers.NONE);
        }
        if (chart.getSeriesMap().isEmpty()) {
            return null;
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }

    /** Seconds and milliseconds, at most {@code max} points, each the largest lag of its bucket. */
    static double[][] bucketMax(double[] tMs, double[] lagUs, int max) {
        int n = tMs.length;
        int buckets = Math.min(n, max);
        double[] x = new double[buckets];
        double[] y = new double[buckets];
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * n / buckets);
            int to = (int) ((long) (b + 1) * n / buckets);
            int worst = from;
            for (int i = from; i < to; i++) {
                if (lagUs[i] > lagUs[worst]) {
                    worst = i;
                }
            }
            x[b] = tMs[worst] / 1000;
            y[b] = lagUs[worst] / 1000;
        }
        return new double[][] {x, y};
    }
}
