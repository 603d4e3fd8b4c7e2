package loopbench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * p50 (dashed) and p99 (solid) latency against offered load for each runtime under one load:
 * where each model's latency knee is. Offered load is the share of estimated capacity when the
 * harness recorded it, else the offered rate.
 */
public final class LatencyVsLoadChart {
  private LatencyVsLoadChart() {}

  /** The chart, or null when no point has a p50 or p99. */
  public static XYChart build(LoadGroup group) {
    XYChart chart = ChartStyle.xy(group.load() + ": latency against offered load",
        group.byFraction() ? "Offered load (% of estimated capacity)" : "Offered rate (requests/s)",
        "Corrected latency (ms, log scale)");
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (Map.Entry<String, List<LoadPoint>> e : group.byRuntime().entrySet()) {
      for (String pct : List.of("p99", "p50")) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (LoadPoint p : e.getValue()) {
          double ms = p.micros("latency." + pct) / 1000;
          if (Double.isFinite(ms) && ms > 0) {
            xs.add(group.byFraction() ? p.loadFraction() * 100 : p.rateValue());
            ys.add(ms);
            lo = Math.min(lo, ms);
            hi = Math.max(hi, ms);
          }
        }
        if (!xs.isEmpty()) {
          XYSeries s = chart.addSeries(e.getKey() + " " + pct, xs, ys);
          ChartStyle.line(s, e.getKey(), pct.equals("p50"));
          s.setMarker(pct.equals("p50") ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
        }
      }
    }
    if (chart.getSeriesMap().isEmpty()) {
      return null;
    }
    var st = chart.getStyler();
    st.setLegendPosition(Styler.LegendPosition.InsideNW);
    st.setYAxisLogarithmic(true);
    st.setYAxisMin(ChartStyle.decadeBelow(lo)).setYAxisMax(ChartStyle.decadeAbove(hi));
    st.setXAxisDecimalPattern("#,##0.##");
    st.setYAxisDecimalPattern("#,##0.###");
    return chart;
  }
}
