package loopbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import loopbench.schema.RunFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report command on a synthetic run directory, whole and with parts missing or broken. */
class ReportCommandTest {
    @TempDir
    static Path shared;

    static Path run;

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    @BeforeAll
    static void writeRun() throws IOException {
        System.setProperty("java.awt.headless", "true");
        run = shared.resolve("run");
        SyntheticRun.write(run);
    }

    static Result report(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        // the command as ./loopbench runs it, minus the root's error style (cli's CliUsageTest covers that)
        int code = new picocli.CommandLine(new ReportCommand(o, e))
                .setOut(new java.io.PrintWriter(o, true))
                .setErr(new java.io.PrintWriter(e, true))
                .execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path copyOfRun(Path to) throws IOException {
        try (Stream<Path> files = Files.walk(run)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(run.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }

    @Test
    void aPointMarkedInvalidIsNamedAmongTheProblems() throws IOException {
        Path copy = copyOfRun(tmp.resolve("invalid"));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ArrayNode results = (com.fasterxml.jackson.databind.node.ArrayNode)
                json.readTree(copy.resolve("results.json").toFile());
        com.fasterxml.jackson.databind.node.ObjectNode first =
                (com.fasterxml.jackson.databind.node.ObjectNode) results.get(0);
        first.put("valid", false).put("invalidReason", "8 requests completed; p99.9 needs at least 1,000");
        json.writeValue(copy.resolve("results.json").toFile(), results);
        Result r = report(copy.toString(), "--out", tmp.resolve("invalid-out").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        String stem = first.path("params").path("load").asText() + "_"
                + first.path("params").path("runtime").asText() + "_"
                + first.path("params").path("rate").asText();
        assertTrue(r.err().contains("point " + stem + " is invalid: 8 requests completed"), r.err());
        assertTrue(
                Files.readString(tmp.resolve("invalid-out/report.md")).contains(stem + " is invalid"),
                "the report says so too");
    }

    @Test
    void fullRunProducesReportsAndEveryChart() throws IOException {
        Path out = tmp.resolve("out");
        Result r = report(run.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(
                r.out().strip().endsWith("Report: " + out.resolve("report.html").toAbsolutePath()), r.out());

        List<String> expected = new ArrayList<>(List.of("throughput", "micro"));
        for (String load : ResultsDir.LOADS) {
            expected.addAll(List.of("spectrum-" + load, "latency-vs-load-" + load, "lag-" + load));
        }
        for (String chart : expected) {
            Path png = out.resolve("charts/" + chart + ".png");
            Path svg = out.resolve("charts/" + chart + ".svg");
            assertTrue(Files.size(png) > 10_000, png + " is missing or tiny");
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " does not decode");
            assertEquals(ChartStyle.WIDTH, image.getWidth());
            assertEquals(ChartStyle.HEIGHT, image.getHeight());
            String svgText = Files.readString(svg);
            assertTrue(svgText.contains("<svg") && svgText.strip().endsWith("</svg>"), svg + " is not a whole SVG");
        }

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Summary"), md);
        assertTrue(
                md.contains("cpu-blocking: no offered rate was run and sustained by every runtime, so no latencies"),
                md);
        assertTrue(
                md.contains("cpu-blocking, the highest offered rate sustained with p99 within 50 ms: loop none of the "
                        + "rates, loom 3,200, threadpool 4,800 req/s."),
                md);
        assertTrue(
                md.contains("cpu-blocking at 3,200 req/s, the highest rate all three were offered: completed loop "),
                md);
        assertTrue(md.contains("io-heavy at 4,800 req/s, which all three sustain: p99 loop "), md);
        assertTrue(
                md.contains("| loop | none | 3,000 | 2,000 | p99 above the objective |"),
                "capacity beside the estimate, saturation and why: " + md);
        assertTrue(
                md.contains("| Capacity, io-heavy (req/s, estimated) | loop 9,000, loom 7,000, threadpool 5,000 |"),
                md);
        assertTrue(md.contains("| Harness cost | 72.2 ns per request"), md);
        assertTrue(md.contains("996 late starts of 180,716"), md);
        assertTrue(md.contains("| loop | p99 above the objective | 2,000 |"), md);
        assertTrue(md.contains("| loom | sustained | 3,200 |"), md);
        assertTrue(md.contains("![cpu-blocking: latency by percentile"), md);
        assertTrue(md.contains("| promiseThenChain | loop |"), md);
        assertTrue(md.contains("Against Node v20.20.2"), md);
        assertTrue(md.contains("jfr/mixed_loop_3200.jfr"), md);
        assertFalse(md.contains("Partial run"), md);
        assertTrue(
                md.contains("Warning: this machine has 2 cores for 2 loops + the load generator + the delay backend."),
                md);
        assertTrue(md.contains("| service mean | service p99 | waiting |"), md);
        assertTrue(md.contains("5,400 (p99 5,800) of 5,000"), "heavy work measured beside its nominal: " + md);
        assertTrue(
                md.contains("threadpool's capacity within its p99 objective for io-heavy, 4,800 req/s, is 40% of its "
                        + "model's bound, 12,000 req/s"),
                "the ladder's capacity is held to the bound: " + md);
        assertTrue(
                md.contains("loop's closed-loop capacity estimate for cpu-blocking, 3,000 req/s, is 30% of its model's "
                        + "bound"),
                "without a capacity within the objective, the closed-loop estimate, named as such: " + md);

        String html = Files.readString(out.resolve("report.html"));
        assertEquals(expected.size(), html.split("src=\"data:image/png;base64,", -1).length - 1);
        assertFalse(
                html.contains("src=\"http") || html.contains("href=\"http") || html.contains("<link"),
                "external resource in report.html");
        assertTrue(html.contains("<style>") && html.contains("Eclipse Adoptium"));
        try (Stream<Path> files = Files.walk(out)) {
            assertFalse(files.anyMatch(f -> f.toString().endsWith(".tmp")), "temporary file left behind");
        }
    }

    @Test
    void defaultOutputIsRunDirReport() throws IOException {
        Path copy = copyOfRun(tmp.resolve("run"));
        Files.delete(copy.resolve("micro.json")); // faster, and a second shape of partial input
        Result r = report(copy.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(copy.resolve("report/report.html")));
        assertTrue(Files.readString(copy.resolve("report/report.md"))
                .contains("micro.json: file not found; no micro-benchmark section"));
    }

    /** run.json's options are shown one per row, as text a reader can scan, not as a JSON blob. */
    @Test
    void optionsReadAsText() throws Exception {
        com.fasterxml.jackson.databind.JsonNode options = RunFiles.JSON.readTree(
                "{\"ladder\": {\"io-heavy\": [520.0, 1000.0, 140000.0], \"mixed\": [300.0]}, \"seconds\": 1.5,"
                        + " \"loads\": [\"io-heavy\", \"mixed\"], \"jfr\": false, \"address\": null}");
        assertEquals("io-heavy 520, 1,000, 140,000; mixed 300", ReportGenerator.optionText(options.get("ladder")));
        assertEquals("1.5", ReportGenerator.optionText(options.get("seconds")));
        assertEquals("io-heavy, mixed", ReportGenerator.optionText(options.get("loads")));
        assertEquals("false", ReportGenerator.optionText(options.get("jfr")));
        assertEquals("–", ReportGenerator.optionText(options.get("address")));
    }

    /** bench --no-micro --load X --runtime Y: what it did not ask for is not listed as missing; what it did is. */
    @Test
    void whatTheRunDidNotAskForIsNotMissing() throws Exception {
        Path copy = copyOfRun(tmp.resolve("subset"));
        Files.delete(copy.resolve("micro.json"));
        com.fasterxml.jackson.databind.node.ObjectNode run =
                (com.fasterxml.jackson.databind.node.ObjectNode) RunFiles.readTree(copy.resolve("run.json"));
        com.fasterxml.jackson.databind.node.ObjectNode options =
                (com.fasterxml.jackson.databind.node.ObjectNode) run.get("options");
        options.put("micro", false);
        options.putArray("loads").add("cpu-blocking").add("io-heavy");
        options.putArray("runtimes").add("loop");
        RunFiles.write(copy.resolve("run.json"), run);
        com.fasterxml.jackson.databind.JsonNode results = RunFiles.readTree(copy.resolve("results.json"));
        for (var it = results.elements(); it.hasNext(); ) { // the io-heavy fork on loop never reported
            com.fasterxml.jackson.databind.JsonNode p = it.next().path("params");
            if (p.path("load").asText().equals("io-heavy")
                    && p.path("runtime").asText().equals("loop")) it.remove();
        }
        RunFiles.write(copy.resolve("results.json"), results);

        ResultsDir dir = ResultsDir.read(copy);
        assertEquals(
                List.of("results.json: no results for load io-heavy on runtime loop"),
                dir.problems(),
                "only the fork it asked for and did not get; no micro.json, no other loads or runtimes");
    }

    @Test
    void partialRunWithoutResultsStillReportsAndSaysWhatIsMissing() throws IOException {
        Path copy = copyOfRun(tmp.resolve("partial"));
        Files.delete(copy.resolve("results.json"));
        Files.writeString(
                copy.resolve("run.json"),
                Files.readString(copy.resolve("run.json"))
                        .replace("\"partial\" : false", "\"partial\" : true")
                        .replace("\"partialReason\" : null", "\"partialReason\" : \"interrupted during io-heavy\""));
        Result r = report(copy.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(tmp.resolve("out/report.md"));
        assertTrue(md.contains("Partial run: interrupted during io-heavy"), md);
        assertTrue(md.contains("## What is missing"), md);
        assertTrue(md.contains("results.json: file not found; no load-test tables or latency charts"), md);
        assertTrue(Files.readString(tmp.resolve("out/report.html")).contains("results.json: file not found"));
        assertTrue(Files.exists(tmp.resolve("out/charts/micro.png")));
        assertFalse(Files.exists(tmp.resolve("out/charts/throughput.png")));
    }

    @Test
    void brokenSideFilesAreReportedNotFatal() throws IOException {
        Path copy = copyOfRun(tmp.resolve("broken"));
        Files.delete(copy.resolve("micro.json"));
        Path hlog = copy.resolve("hlog/cpu-blocking_loop_2000.hlog");
        Files.write(hlog, java.util.Arrays.copyOf(Files.readAllBytes(hlog), 300));
        try (Stream<Path> mixed = Files.list(copy.resolve("hlog"))) {
            for (Path f : mixed.filter(f -> f.getFileName().toString().startsWith("mixed_"))
                    .toList()) {
                Files.delete(f);
            }
        }
        Files.writeString(copy.resolve("lag/io-heavy_loop_4800.csv"), "garbage\n");
        Files.writeString(copy.resolve("node.json"), "{\"node\": \"v20\"");
        Result r = report(copy.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(tmp.resolve("out/report.md"));
        assertTrue(md.contains("hlog/cpu-blocking_loop_2000.hlog: corrupt histogram log"), md);
        assertTrue(md.contains("missing 9 of 26 histogram logs"), md); // loop's cpu-blocking climb stopped at 3,200
        assertTrue(md.contains("lag/io-heavy_loop_4800.csv: expected the header t_ms,lag_us"), md);
        assertTrue(md.contains("node.json: not valid JSON"), md);
        assertTrue(md.contains("no histogram log, drawn from the JMH percentile metrics"), md);
        assertTrue(Files.exists(tmp.resolve("out/charts/spectrum-mixed.png")));
    }

    @Test
    void emptyDirectoryGivesAReportOfWhatIsMissing() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Result r = report(empty.toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(empty.resolve("report/report.md"));
        assertTrue(md.contains("run.json: file not found") && md.contains("results.json: file not found"), md);
        assertTrue(md.contains("Partial run"), md);
    }

    @Test
    void badUsageAndMissingDirectoryExitTwo() {
        assertEquals(2, report().code());
        assertEquals(2, report("a", "b").code());
        assertEquals(2, report(run.toString(), "--out").code());
        assertEquals(2, report(run.toString(), "--colour").code());
        Result missing = report(tmp.resolve("nope").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope: directory not found"), missing.err());
        assertEquals(0, report("--help").code());
    }
}
