package loopbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report with several run directories, and the CSV every single-run report writes. */
class RunsReportTest {
    @TempDir
    Path tmp;

    private Path run(String name) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path dir = tmp.resolve(name);
        SyntheticRun.write(dir);
        return dir;
    }

    @Test
    void twoRunsSideBySideWithLabelsAndOneChartPerLoad() throws IOException {
        Path a = run("a");
        Path b = run("b");
        Files.writeString(
                b.resolve("run.json"),
                Files.readString(b.resolve("run.json")).replace("\"cores\"", "\"cores\" : 16, \"x\""));
        Path out = tmp.resolve("out");
        ReportCommandTest.Result r =
                ReportCommandTest.report(a.toString(), b.toString(), "--label", "base=" + a, "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("2 runs side by side"), md);
        assertTrue(md.contains("p99 ms, base"), md);
        assertTrue(md.contains("p99 ms, cores 16"), "the other run is labelled by what differs: " + md);
        for (String load : ResultsDir.LOADS) {
            assertTrue(Files.exists(out.resolve("charts/runs-capacity-" + load + ".png")), load);
            for (String runtime : ResultsDir.RUNTIMES) {
                assertTrue(
                        Files.exists(out.resolve("charts/runs-latency-vs-load-" + load + "-" + runtime + ".png")),
                        load + " " + runtime);
            }
        }
        assertTrue(
                md.contains("No p99 or throughput at an offered rate differs"),
                "the same figures: nothing to say: " + md);
        assertFalse(md.contains("differ by more than 10%"), "the same figures: nothing beyond 10% either: " + md);
    }

    /** Runs at fixed rates ({@code bench --rates}) climb no ladder: no capacity to chart, the rest is drawn. */
    @Test
    void runsWithoutAClimbGetTheirLatencyChartsAndNoCapacityChart() throws Exception {
        Path a = run("a");
        Path b = run("b");
        for (Path run : List.of(a, b)) {
            com.fasterxml.jackson.databind.JsonNode results =
                    loopbench.schema.RunFiles.readTree(run.resolve("results.json"));
            for (var it = results.elements(); it.hasNext(); ) {
                if (it.next().path("benchmark").asText().equals(loopbench.schema.LoadMetric.CAPACITY_BENCHMARK)) {
                    it.remove();
                }
            }
            loopbench.schema.RunFiles.write(run.resolve("results.json"), results);
        }
        Path out = tmp.resolve("out");
        ReportCommandTest.Result r = ReportCommandTest.report(a.toString(), b.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        for (String load : ResultsDir.LOADS) {
            assertFalse(Files.exists(out.resolve("charts/runs-capacity-" + load + ".png")), load);
            assertTrue(Files.exists(out.resolve("charts/runs-latency-vs-load-" + load + "-loop.png")), load);
        }
    }

    @Test
    void aLabelForADirectoryNotGivenIsBadUsage() throws IOException {
        Path a = run("a");
        ReportCommandTest.Result r = ReportCommandTest.report(
                a.toString(),
                a.toString(),
                "--label",
                "x=" + tmp.resolve("nope"),
                "--out",
                tmp.resolve("o").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("not one of the run directories given"), r.err());
    }

    @Test
    void aReportWritesEveryPointsPercentilesAsCsv() throws Exception {
        Path a = run("a");
        assertEquals(0, ReportCommandTest.report(a.toString()).code());
        List<String> csv = Files.readAllLines(a.resolve("report/points.csv"));
        assertTrue(csv.get(0).startsWith("load,runtime,rate,loadFraction,"), csv.get(0));
        assertTrue(csv.get(0).contains(",valid,throughput_ops_s,latency.p50_us,"), csv.get(0));
        assertTrue(csv.get(0).contains(",requests,"), csv.get(0));
        assertEquals(ResultsDir.read(a).loadPoints().size() + 1, csv.size(), "a header and a row a point");
        assertEquals(csv.get(0).split(",", -1).length, csv.get(1).split(",", -1).length);
    }

    @Test
    void capacitiesMoreThanOneRungApartAreNamedWithTheirObjective() throws Exception {
        Path a = run("a");
        Path b = run("b");
        List<RunsReport.Run> runs =
                RunsReport.label(List.of(ResultsDir.read(a), ResultsDir.read(b)), java.util.Map.of());
        assertTrue(RunsReport.capacities(runs).isEmpty(), "the same capacities: nothing to say");
        // a's climb of cpu-blocking on loop sustained the ladder's top rung, b's only its first
        sloCapacity(a, "cpu-blocking", "loop", 4800);
        sloCapacity(b, "cpu-blocking", "loop", 2000);
        runs = RunsReport.label(List.of(ResultsDir.read(a), ResultsDir.read(b)), java.util.Map.of());
        List<String> said = RunsReport.capacities(runs);
        assertEquals(1, said.size(), said.toString());
        assertTrue(
                said.get(0).startsWith("cpu-blocking loop, the highest offered rate sustained with p99 within 50 ms: ")
                        && said.get(0).contains("2,000 req/s on b"),
                said.get(0));
    }

    private static void sloCapacity(Path run, String load, String runtime, double rate) throws Exception {
        com.fasterxml.jackson.databind.JsonNode results =
                loopbench.schema.RunFiles.readTree(run.resolve("results.json"));
        for (var e : results) {
            if (e.path("benchmark").asText().endsWith("sloCapacity")
                    && e.path("params").path("load").asText().equals(load)
                    && e.path("params").path("runtime").asText().equals(runtime)) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) e.get("primaryMetric")).put("score", rate);
            }
        }
        loopbench.schema.RunFiles.write(run.resolve("results.json"), results);
    }
}
