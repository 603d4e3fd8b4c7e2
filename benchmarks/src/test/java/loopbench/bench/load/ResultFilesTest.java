package loopbench.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import loopbench.core.EventLoops;

/** A tiny real run per runtime into a temporary RUN_DIR, read back as the report would read it. */
class ResultFilesTest {
    /** Short and light: 1 backend call of 1 ms, 400 requests per second, 0.3 s. Named io-heavy so the files are named as the report expects. */
    private static final LoadSpec TINY = new LoadSpec("io-heavy", "test: tiny", 0.1, 200, 10, true, false, 1, 1);

    private static final List<String> REQUIRED = List.of("latency.p50", "latency.p90", "latency.p99", "latency.p99.9",
            "latency.p99.99", "latency.max", "uncorrected.p50", "uncorrected.p99", "uncorrected.p99.9", "uncorrected.max",
            "lateStarts", "requests", "cpu.ms", "gc.ms", "threads.peak", "lag.p99", "lag.max");

    @TempDir
    Path dir;

    @Test
    void aTinyRunWritesCompleteParseableFiles() throws Exception {
        int n = 0;
        for (String runtime : EventLoops.names()) {
            LoadRun.Config c = LoadRun.Config.of(runtime, TINY, 400, 0.5, 800, 0.3).withLimits(10_000, 50_000, 1_000_000, 5)
                    .withOutput(dir, n == 1, 0.1); // one run with JFR is enough
            PointResult r = LoadRun.run(c);
            n++;
            assertEquals(0, r.errors, runtime + ": no request failed");
            assertEquals(0, r.unfinished, runtime + ": every request finished");
            assertTrue(r.requests > 60, runtime + ": requests issued: " + r.requests);
        }
        assertEquals(3, ResultFiles.assemble(dir));

        Object parsed = MiniJson.parse(Files.readString(dir.resolve("results.json")));
        List<?> results = assertInstanceOf(List.class, parsed);
        assertEquals(n, results.size());
        for (Object o : results) {
            Map<?, ?> e = assertInstanceOf(Map.class, o);
            assertEquals(PointResult.BENCHMARK, e.get("benchmark"));
            assertEquals("ss", e.get("mode"));
            Map<?, ?> params = assertInstanceOf(Map.class, e.get("params"));
            String runtime = (String) params.get("runtime");
            assertEquals("io-heavy", params.get("load"));
            assertEquals("400", params.get("rate"));
            assertEquals("0.5", params.get("loadFraction"));
            Map<?, ?> primary = assertInstanceOf(Map.class, e.get("primaryMetric"));
            assertEquals("ops/s", primary.get("scoreUnit"));
            double throughput = (Double) primary.get("score");
            assertTrue(throughput > 200 && throughput < 600, runtime + " throughput " + throughput);
            Map<?, ?> secondary = assertInstanceOf(Map.class, e.get("secondaryMetrics"));
            for (String name : REQUIRED) {
                Map<?, ?> m = assertInstanceOf(Map.class, secondary.get(name), runtime + ": " + name);
                assertNotNull(m.get("scoreUnit"), name);
                assertTrue(m.get("score") instanceof Double, runtime + ": " + name + " is a number");
                assertEquals("NaN", m.get("scoreError"));
                assertInstanceOf(List.class, m.get("rawData"));
            }
            assertEquals("us", ((Map<?, ?>) secondary.get("latency.p99")).get("scoreUnit"));
            assertEquals("#", ((Map<?, ?>) secondary.get("requests")).get("scoreUnit"));
            double p50 = (Double) ((Map<?, ?>) secondary.get("latency.p50")).get("score");
            // a 1 ms timer fires at the loop clock's next millisecond tick after the one it was set in: 0..1 ms of wall time
            assertTrue(p50 >= 100, runtime + ": a request waits for a 1 ms backend call, p50 was " + p50 + " us");
            double requests = (Double) ((Map<?, ?>) secondary.get("requests")).get("score");

            String stem = "io-heavy_" + runtime + "_400";
            Histogram h = readLog(dir.resolve("hlog").resolve(stem + ".hlog"));
            assertEquals((long) requests, h.getTotalCount(), runtime + ": every request is in the corrected log");
            assertEquals((long) requests, readLog(dir.resolve("hlog").resolve(stem + ".uncorrected.hlog")).getTotalCount());
            List<String> lag = Files.readAllLines(dir.resolve("lag").resolve(stem + ".csv"));
            assertEquals("t_ms,lag_us", lag.get(0));
            assertTrue(lag.size() > 10, runtime + ": lag samples every 10 ms: " + lag.size());
            for (String row : lag.subList(1, lag.size())) {
                String[] cells = row.split(",");
                assertEquals(2, cells.length, row);
                Long.parseLong(cells[0]);
                assertTrue(Long.parseLong(cells[1]) >= 0, row);
            }
        }
        assertFalse(Files.list(dir.resolve("hlog")).anyMatch(f -> f.toString().endsWith(".partial")), "no half-written logs left");

        Map<?, ?> jfr = assertInstanceOf(Map.class, MiniJson.parse(Files.readString(dir.resolve("jfr-summary.json"))));
        Map<?, ?> points = assertInstanceOf(Map.class, jfr.get("points"));
        Map<?, ?> loom = assertInstanceOf(Map.class, points.get("io-heavy_loom_400"));
        Map<?, ?> events = assertInstanceOf(Map.class, loom.get("loopbenchEvents"));
        assertEquals(1.0, events.get("loopbench.LoadRun"), "one LoadRun event per point");
        assertTrue(Files.size(dir.resolve("jfr").resolve("io-heavy_loom_400.jfr")) > 0);
    }

    private static Histogram readLog(Path file) throws Exception {
        Histogram total = new Histogram(3);
        try (HistogramLogReader r = new HistogramLogReader(file.toFile())) {
            EncodableHistogram h;
            while ((h = r.nextIntervalHistogram()) != null) total.add((Histogram) h);
        }
        return total;
    }
}
