package loopbench.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import loopbench.core.EventLoops;
import loopbench.schema.JfrSummary;
import loopbench.schema.JmhEntry;
import loopbench.schema.LoadMetric;
import loopbench.schema.RunFiles;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny real run per runtime into a temporary RUN_DIR, read back through the schema records as the
 * report reads it; every metric a real point writes must be one LoadMetric defines (unit and direction).
 */
class PointFilesTest {
    /** Short and light: 1 backend call of 1 ms, 400 requests per second, 0.3 s. Named io-heavy so the files are named as the report expects. */
    private static final LoadSpec TINY = new LoadSpec("io-heavy", "test: tiny", 0.1, 200, 10, true, false, 1, 1);

    private static final List<String> REQUIRED = List.of(
            "latency.p50",
            "latency.p90",
            "latency.p99",
            "latency.p99.9",
            "latency.p99.99",
            "latency.max",
            "uncorrected.p50",
            "uncorrected.p99",
            "uncorrected.p99.9",
            "uncorrected.max",
            "lateStarts",
            "requests",
            "cpu.ms",
            "gc.ms",
            "threads.peak",
            "lag.p99",
            "lag.max",
            "latency.mean",
            "service.p50",
            "service.p99",
            "service.mean",
            "service.stdev",
            "work.heavy.mean",
            "work.light.mean",
            "loop.busy.mean",
            "loop.busy.max",
            "runtime.cpu.ms",
            "model.bound");

    @TempDir
    Path dir;

    @Test
    void aTinyRunWritesCompleteParseableFiles() throws Exception {
        int n = 0;
        for (String runtime : EventLoops.names()) {
            LoadRun.Config c = LoadRun.Config.of(runtime, TINY, 400, 0.5, 800, 0.3)
                    .withLimits(10_000, 50_000, 1_000_000, 5)
                    .withOutput(dir, n == 1, 0.1); // one run with JFR is enough
            PointResult r = LoadRun.run(c);
            n++;
            assertEquals(0, r.errors, runtime + ": no request failed");
            assertEquals(0, r.unfinished, runtime + ": every request finished");
            assertTrue(r.requests > 60, runtime + ": requests issued: " + r.requests);
        }
        List<String> warnings = new java.util.ArrayList<>();
        assertEquals(3, RunFiles.assemble(dir, warnings::add));
        assertEquals(List.of(), warnings);

        List<JmhEntry> results = RunFiles.readJmh(dir.resolve("results.json"));
        assertEquals(n, results.size());
        assertEquals(
                List.of("loop", "loom", "threadpool"),
                results.stream().map(e -> e.param("runtime")).toList(),
                "report order");
        for (JmhEntry e : results) {
            assertEquals(PointResult.BENCHMARK, e.benchmark());
            assertEquals("ss", e.mode());
            String runtime = e.param("runtime");
            assertEquals("io-heavy", e.param("load"));
            assertEquals("400", e.param("rate"));
            assertEquals("0.5", e.param("loadFraction"));
            assertEquals("ops/s", e.primaryMetric().scoreUnit());
            double throughput = e.primaryMetric().score();
            assertTrue(throughput > 200 && throughput < 600, runtime + " throughput " + throughput);
            Map<String, JmhEntry.Metric> secondary = e.secondaryMetrics();
            for (String name : REQUIRED) {
                JmhEntry.Metric m = secondary.get(name);
                assertNotNull(m, runtime + ": " + name);
                assertNotNull(m.score(), runtime + ": " + name + " is a number");
                assertTrue(m.scoreError().isNaN());
                assertEquals(List.of(List.of(m.score())), m.rawData());
            }
            for (Map.Entry<String, JmhEntry.Metric> m : secondary.entrySet()) {
                LoadMetric def = LoadMetric.of(m.getKey());
                assertNotNull(def, "every metric the harness writes is defined, with its direction: " + m.getKey());
                assertEquals(def.unit, m.getValue().scoreUnit(), m.getKey());
            }
            assertEquals("us", secondary.get("latency.p99").scoreUnit());
            assertEquals("#", secondary.get("requests").scoreUnit());
            double p50 = secondary.get("latency.p50").score();
            // a 1 ms timer fires at the loop clock's next millisecond tick after the one it was set in: 0..1 ms of wall
            // time
            assertTrue(p50 >= 100, runtime + ": a request waits for a 1 ms backend call, p50 was " + p50 + " us");
            double requests = secondary.get("requests").score();

            String stem = "io-heavy_" + runtime + "_400";
            Histogram h = readLog(dir.resolve("hlog").resolve(stem + ".hlog"));
            assertEquals((long) requests, h.getTotalCount(), runtime + ": every request is in the corrected log");
            assertEquals(
                    (long) requests,
                    readLog(dir.resolve("hlog").resolve(stem + ".uncorrected.hlog"))
                            .getTotalCount());
            assertEquals(
                    (long) requests,
                    readLog(dir.resolve("hlog").resolve(stem + ".service.hlog")).getTotalCount(),
                    runtime + ": every request's service time is in its own log");
            double busy = secondary.get("loop.busy.mean").score();
            assertTrue(busy >= 0 && busy <= 100, runtime + ": a busy fraction is a share of the window: " + busy);
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
        assertFalse(
                Files.list(dir.resolve("hlog")).anyMatch(f -> f.toString().endsWith(".partial")),
                "no half-written logs left");

        JfrSummary jfr = RunFiles.read(dir.resolve("jfr-summary.json"), JfrSummary.class);
        assertEquals(RunFiles.SCHEMA, jfr.schema());
        assertEquals(
                1L,
                jfr.points().get("io-heavy_loom_400").loopbenchEvents().get("loopbench.LoadRun"),
                "one LoadRun event per point");
        assertEquals(1L, jfr.totals().loopbenchEvents().get("loopbench.LoadRun"));
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
