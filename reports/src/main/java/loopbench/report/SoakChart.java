package loopbench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The soak test's picture: the live heap (heap in use after a full collection) over the run, one
 * line per runtime in its usual colour. A flat line is the expected result; a leak is a ramp.
 */
public final class SoakChart {
    /** One runtime's samples: minutes since the churn started, and the heap after GC in bytes. */
    public record Series(String runtime, double[] minutes, double[] heapBytes) {}

    private SoakChart() {}

    /** Writes {@code dir/soak-heap.png} and {@code .svg}; the y axis starts at 0 so that a small drift looks small. */
    public static ChartFile write(List<Series> series, String title, Path dir) throws IOException {
        XYChart chart = ChartStyle.xy(title, "Time since start (min)", "Heap after GC (MiB)");
        for (Series s : series) {
            if (s.minutes().length == 0) {
                continue;
            }
            double[] mib = new double[s.heapBytes().length];
            for (int i = 0; i < mib.length; i++) {
                mib[i] = s.heapBytes()[i] / (1024.0 * 1024.0);
            }
            XYSeries line = chart.addSeries(s.runtime(), s.minutes(), mib);
            ChartStyle.line(line, s.runtime(), false);
            line.setMarker(SeriesMarkers.CIRCLE);
        }
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setXAxisDecimalPattern("0.##"); // a short run's minutes are fractions
        chart.getStyler().setYAxisMin(0.0);
        return ChartFile.write(chart, dir, "soak-heap");
    }
}
