package loopbench.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each record written and read back unchanged; the readers' limits; one assemble, one order. */
class RunFilesTest {
    @TempDir
    Path dir;

    static JmhEntry point(String load, String runtime, long rate) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("runtime", runtime);
        params.put("load", load);
        params.put("rate", Long.toString(rate));
        Map<String, JmhEntry.Metric> secondary = new LinkedHashMap<>();
        secondary.put("latency.p99", JmhEntry.Metric.single(1234.5, "us"));
        secondary.put("lag.max", JmhEntry.Metric.single(Double.NaN, "us"));
        return new JmhEntry(
                "1.37",
                LoadMetric.BENCHMARK,
                "ss",
                1,
                1,
                "java",
                List.of("-Xmx1g"),
                "21",
                "vm",
                "21+35",
                0,
                "single-shot",
                1,
                1,
                "3 s",
                1,
                params,
                JmhEntry.Metric.single(rate * 0.99, "ops/s"),
                secondary,
                true,
                null);
    }

    static JfrSummary.Point jfr(long pinned) {
        return new JfrSummary.Point(
                "jfr/x.jfr", 100, pinned, 1.5, 0.5, 0, 2, 3.25, 2.0, Map.of("loopbench.LoadRun", 1L), 0.75);
    }

    private <T> T roundTrip(T value, Class<T> type) throws IOException {
        Path f = dir.resolve(type.getSimpleName() + ".json");
        RunFiles.write(f, value);
        return RunFiles.read(f, type);
    }

    @Test
    void jmhEntryRoundTripsNaNIncluded() throws IOException {
        JmhEntry e = point("mixed", "loop", 2000);
        Path f = dir.resolve("results.json");
        RunFiles.write(f, List.of(e));
        assertEquals(List.of(e), RunFiles.readJmh(f));
        assertTrue(
                Files.readString(f).contains("\"scoreError\" : \"NaN\""), "NaN is written as JMH writes it, a string");
    }

    @Test
    void runInfoRoundTrips() throws IOException {
        RunInfo r = new RunInfo(
                1,
                "quick",
                "2026-12-03T09:00:00Z",
                null,
                true,
                "interrupted",
                new RunInfo.Jdk("21", "v", "vm"),
                new RunInfo.Os("Linux", "amd64"),
                new RunInfo.Cpu("cpu", 2),
                new RunInfo.Git("abc", null),
                RunFiles.JSON.createObjectNode().put("seconds", 3.0),
                null,
                Map.of("mixed", Map.of("loop", 4000.0)),
                RunFiles.JSON.createObjectNode().put("perRequestNanos", 61.5),
                new RunInfo.Jvm("/opt/jdk-25", "25.0.1", "Eclipse Adoptium", "ZGC", List.of("-XX:+UseZGC")));
        assertEquals(r, roundTrip(r, RunInfo.class));
        JsonNode written = RunFiles.readTree(dir.resolve("RunInfo.json"));
        assertTrue(
                written.has("finished") && written.get("finished").isNull(),
                "finished: null while running, as the contract says");
    }

    @Test
    void jfrSummaryRoundTripsWithTotals() throws IOException {
        Map<String, JfrSummary.Point> points = new LinkedHashMap<>();
        points.put("mixed_loop_2000", jfr(1));
        points.put("mixed_loom_1800", jfr(2));
        JfrSummary s = JfrSummary.of(points);
        assertEquals(3, s.totals().virtualThreadPinned());
        assertEquals(4, s.totals().gcCount());
        assertEquals(6.5, s.totals().gcPauseMs());
        assertEquals(Map.of("loopbench.LoadRun", 2L), s.totals().loopbenchEvents());
        assertEquals(s, roundTrip(s, JfrSummary.class));
    }

    @Test
    void forkEventsAreOneJsonLineEachAndTextIsNotAnEvent() {
        List<ForkEvent> events = List.of(
                new ForkEvent.Capacity("mixed", "loop", 4000),
                new ForkEvent.Start("mixed_loop_2000", "0.5", 2000),
                new ForkEvent.Done("mixed_loop_2000", 3.02),
                new ForkEvent.Fail("mixed", "loop", "0.9", "java.lang.Error: a\nb"));
        for (ForkEvent e : events) {
            String line = e.toLine();
            assertEquals(1, line.lines().count(), line);
            assertEquals(e, ForkEvent.parse(line));
        }
        assertEquals(
                "{\"event\":\"start\",\"stem\":\"mixed_loop_2000\",\"fraction\":\"0.5\",\"rate\":2000.0}",
                events.get(1).toLine());
        assertNull(ForkEvent.parse("  capacity ~4,000 req/s (closed loop)"));
        assertNull(ForkEvent.parse("@@capacity mixed loop 6120"), "the old text protocol is text now");
        assertNull(ForkEvent.parse("{\"event\":\"unknown\"}"));
        assertNull(ForkEvent.parse("{\"event\":\"start\", broken"));
    }

    @Test
    void assembleGathersThePointsInOneOrderAndLeavesOutWhatDoesNotParse() throws IOException {
        RunFiles.writePoint(dir, "mixed_loop_10000", point("mixed", "loop", 10000), null);
        RunFiles.writePoint(dir, "mixed_loop_900", point("mixed", "loop", 900), jfr(0));
        RunFiles.writePoint(dir, "cpu-blocking_loom_500", point("cpu-blocking", "loom", 500), jfr(1));
        RunFiles.writePoint(dir, "cpu-blocking_loop_700", point("cpu-blocking", "loop", 700), null);
        Files.writeString(dir.resolve("points/io-heavy_loop_1.result.json"), "{\"cut off");
        List<String> warnings = new ArrayList<>();
        assertEquals(4, RunFiles.assemble(dir, warnings::add));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(
                warnings.get(0).startsWith("points/io-heavy_loop_1.result.json left out: not valid JSON"),
                warnings.get(0));
        assertEquals(
                List.of("cpu-blocking/loop/700", "cpu-blocking/loom/500", "mixed/loop/900", "mixed/loop/10000"),
                RunFiles.readJmh(dir.resolve("results.json")).stream()
                        .map(e -> e.param("load") + "/" + e.param("runtime") + "/" + e.param("rate"))
                        .toList(),
                "by load, then runtime in the registry's order, then rate as a number");
        JfrSummary s = RunFiles.read(dir.resolve("jfr-summary.json"), JfrSummary.class);
        assertEquals(
                List.of("cpu-blocking_loom_500", "mixed_loop_900"),
                List.copyOf(s.points().keySet()));
        assertEquals(1, s.totals().virtualThreadPinned());
    }

    @Test
    void aNewerSchemaIsRefusedNamingTheVersionNeeded() throws IOException {
        Path f = Files.writeString(dir.resolve("run.json"), "{\"schema\": 3, \"profile\": \"quick\"}");
        RunFiles.BadFileException e =
                assertThrows(RunFiles.BadFileException.class, () -> RunFiles.read(f, RunInfo.class));
        assertEquals("schema 3 needs a newer loopbench (this one reads schema 2 and older)", e.problem());
    }

    @Test
    void readersAreBoundedAndSayWhatIsWrongInOneLine() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.json"), "  \n");
        assertEquals(
                "empty file, expected JSON",
                assertThrows(RunFiles.BadFileException.class, () -> RunFiles.readTree(empty))
                        .problem());
        Path huge = dir.resolve("huge.json");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(RunFiles.MAX_BYTES + 1);
        }
        assertEquals(
                "larger than 64 MiB, not a results file",
                assertThrows(RunFiles.BadFileException.class, () -> RunFiles.readTree(huge))
                        .problem());
        assertEquals(
                "file not found",
                assertThrows(RunFiles.BadFileException.class, () -> RunFiles.readTree(dir.resolve("nope.json")))
                        .problem());
        assertEquals(
                "is a directory, expected a JSON file",
                assertThrows(RunFiles.BadFileException.class, () -> RunFiles.readTree(dir))
                        .problem());
    }

    @Test
    void everyLoadMetricHasADirectionAndTheNamesTheHarnessUsesResolve() {
        for (LoadMetric m : LoadMetric.values()) {
            assertTrue(m.direction != null && !m.unit.isBlank() && !m.meaning.isBlank(), m.name());
        }
        assertEquals(LoadMetric.LATENCY, LoadMetric.of("latency.p99.99"));
        assertEquals(LoadMetric.LATENCY, LoadMetric.of("latency.max"));
        assertEquals(LoadMetric.REQUESTS, LoadMetric.of("requests"));
        assertEquals(LoadMetric.LATENCY, LoadMetric.of("latency.mean"), "validate compares the mean with M/G/1");
        assertEquals(LoadMetric.SERVICE, LoadMetric.of("service.stdev"));
        assertEquals(LoadMetric.LOOP_BUSY, LoadMetric.of("loop.busy.max"));
        assertNull(LoadMetric.of("latency.avg"));
        assertNull(LoadMetric.of("latency"));
    }
}
