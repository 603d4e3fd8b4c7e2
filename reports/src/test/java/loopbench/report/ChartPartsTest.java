package loopbench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small pieces behind the charts: tick labels, hlog summing, lag bucketing, offered-load choice. */
class ChartPartsTest {
    @TempDir
    Path tmp;

    @Test
    void percentileTicksAreNamedForWholeNumbers() {
        assertEquals("0%", PercentileSpectrumChart.tickLabel(0));
        assertEquals("90%", PercentileSpectrumChart.tickLabel(1));
        assertEquals("99%", PercentileSpectrumChart.tickLabel(2));
        assertEquals("99.9%", PercentileSpectrumChart.tickLabel(3));
        assertEquals("99.99%", PercentileSpectrumChart.tickLabel(4));
        assertEquals("99.999%", PercentileSpectrumChart.tickLabel(5));
        assertEquals("", PercentileSpectrumChart.tickLabel(0.5));
    }

    @Test
    void hlogIntervalsAreSummed() throws Exception {
        Histogram h = SyntheticRun.histogram(new Random(1), 500, 0.5);
        Path file = tmp.resolve("x.hlog");
        SyntheticRun.writeLog(file, h);
        Histogram read = LatencyLog.read(file);
        assertEquals(h.getTotalCount(), read.getTotalCount());
        assertEquals(h.getValueAtPercentile(99), read.getValueAtPercentile(99));
    }

    @Test
    void lagBucketsKeepTheWorstSample() {
        double[] t = {0, 1, 2, 3, 4, 5};
        double[] lag = {10, 5000, 20, 30, 40, 50};
        double[][] xy = LoopLagChart.bucketMax(t, lag, 3);
        assertArrayEquals(new double[] {0.001, 0.003, 0.005}, xy[0], 1e-12);
        assertArrayEquals(new double[] {5, 0.03, 0.05}, xy[1], 1e-12);
    }

    @Test
    void sharedLoadFractionUpToCapacityIsChosen() throws Exception {
        JmhResult template = JmhJson.read(
                        Path.of(getClass().getResource("/jmh/baseline.json").toURI()))
                .get(3);
        List<LoadPoint> pts = List.of(
                point(template, "loop", "0.5", "1000"),
                point(template, "loop", "0.8", "1600"),
                point(template, "loop", "1.2", "2400"),
                point(template, "loom", "0.5", "900"),
                point(template, "loom", "1.2", "2200"));
        LoadGroup g = LoadGroup.of(pts).get(0);
        assertEquals("at 50% of estimated capacity", g.choice());
        assertEquals("900", g.chosen().get("loom").rate());
        assertEquals("2400", g.highestRate().get("loop").rate());
    }

    @Test
    void theHockeyStickDrawsNoLatencyForAPointMarkedInvalid() throws Exception {
        JmhResult template = JmhJson.read(
                        Path.of(getClass().getResource("/jmh/baseline.json").toURI()))
                .get(3);
        LoadPoint valid = point(template, "loop", "0.5", "1000");
        LoadPoint invalid = LoadPoint.of(new JmhResult(
                template.benchmark(),
                template.mode(),
                point(template, "loop", "1.2", "2400").result().params(),
                template.primary(),
                template.secondary(),
                "57 requests completed; p99.9 needs at least 1,000",
                5));
        var chart =
                LatencyVsLoadChart.build(LoadGroup.of(List.of(valid, invalid)).get(0));
        for (var s : chart.getSeriesMap().values()) {
            if (s.getName().startsWith("loop p")) {
                assertArrayEquals(new double[] {1000}, s.getXData(), 0, s.getName() + " draws only the valid point");
            }
        }
    }

    private static LoadPoint point(JmhResult t, String runtime, String fraction, String rate) {
        var params = new java.util.TreeMap<>(t.params());
        params.put("runtime", runtime);
        params.put("loadFraction", fraction);
        params.put("rate", rate);
        return LoadPoint.of(new JmhResult(t.benchmark(), t.mode(), params, t.primary(), t.secondary()));
    }
}
