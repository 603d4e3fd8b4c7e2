package loopbench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import loopbench.schema.Direction;
import loopbench.schema.LoadMetric;
import loopbench.schema.RunFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CI regression check end to end, on the hand-written JMH fixtures in src/test/resources/jmh. */
class CompareCommandTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        /** The text table row of one benchmark/params/metric, or "" when there is none. */
        String row(String benchmark, String params, String metric) {
            return Arrays.stream(out.split("\n"))
                    .filter(l -> l.startsWith(benchmark + " ")
                            && l.contains(" " + params + " ")
                            && l.contains(" " + metric + " "))
                    .findFirst()
                    .orElse("");
        }
    }

    static Path fixture(String name) {
        try {
            return Path.of(CompareCommandTest.class.getResource("/jmh/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Run compare(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        // the command as ./loopbench runs it, minus the root's error style (cli's CliUsageTest covers that)
        int code = new picocli.CommandLine(new CompareCommand(o, e))
                .setOut(new java.io.PrintWriter(o, true))
                .setErr(new java.io.PrintWriter(e, true))
                .execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void identicalFilesPass() throws IOException {
        Path copy = Files.copy(fixture("baseline.json"), tmp.resolve("copy.json"));
        Run r = compare(fixture("baseline.json").toString(), copy.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("OK: no regression"), r.out());
        assertTrue(
                r.out()
                        .contains(
                                "0 regression(s), 0 improvement(s), 0 explained by queueing, 0 within noise, 0 without an error estimate, 7 unchanged, 1 not judged"),
                r.out());
    }

    @Test
    void plantedRegressionIsCaughtAndNamed() {
        Run r = compare(
                fixture("baseline.json").toString(), fixture("regressed.json").toString());
        assertEquals(1, r.code(), r.out() + r.err());
        String row = r.row("PromiseQuestion.promiseThenChain", "runtime=loop", "score (avgt)");
        assertTrue(row.contains("regression"), r.out());
        assertTrue(row.contains("+25.0%"), row);
        assertTrue(r.out().contains("REGRESSION: 1 metric(s)"), r.out());
        assertTrue(
                r.row("PromiseQuestion.promiseThenChain", "runtime=loom", "score (avgt)")
                        .contains("unchanged"),
                r.out());
    }

    @Test
    void changeWithinTheErrorBarsIsNotFlagged() {
        Run r = compare(
                fixture("baseline.json").toString(), fixture("noise.json").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        String loop = r.row("PromiseQuestion.promiseThenChain", "runtime=loop", "score (avgt)");
        assertTrue(loop.contains("+12.5%") && loop.contains("within noise"), loop);
        String loom = r.row("PromiseQuestion.promiseThenChain", "runtime=loom", "score (avgt)");
        assertTrue(loom.contains("-4.0%") && loom.contains("unchanged"), loom);
    }

    @Test
    void thresholdIsConfigurable() {
        Run r = compare(
                fixture("baseline.json").toString(), fixture("regressed.json").toString(), "--threshold", "30%");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(
                r.row("PromiseQuestion.promiseThenChain", "runtime=loop", "score (avgt)")
                        .contains("unchanged"),
                r.out());
    }

    @Test
    void benchmarkInOneFileOnlyIsListedButNotFatal() {
        Run r = compare(
                fixture("baseline.json").toString(), fixture("one-sided.json").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        String onlyBase = r.out().substring(r.out().indexOf("Only in baseline"));
        assertTrue(onlyBase.contains("TickQuestion.nextTick [runtime=loop] avgt"), r.out());
        String onlyCur = r.out().substring(r.out().indexOf("Only in current"));
        assertTrue(onlyCur.contains("ImmediateQuestion.setImmediateChain [runtime=loop] avgt"), r.out());
    }

    /**
     * Points are matched by the offered rate, never by a share of a re-estimated capacity: two runs
     * whose "50%" offered different rates measured different things (issue 16).
     */
    @Test
    void loadPointsMatchByOfferedRateNotByLoadFraction() throws IOException {
        String otherRate =
                Files.readString(fixture("baseline.json")).replace("\"rate\" : \"2000\"", "\"rate\" : \"2150\"");
        assertTrue(otherRate.contains("2150"), "fixture has a rate parameter");
        Path current = Files.writeString(tmp.resolve("other-rate.json"), otherRate);
        Run r = compare(fixture("baseline.json").toString(), current.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("load=mixed,rate=2000,runtime=loop"), "only in baseline: " + r.out());
        assertTrue(r.out().contains("load=mixed,rate=2150,runtime=loop"), "only in current: " + r.out());

        String otherFraction = Files.readString(fixture("baseline.json"))
                .replace("\"loadFraction\" : \"0.5\"", "\"loadFraction\" : \"0.45\"");
        assertTrue(otherFraction.contains("0.45"), "fixture has a loadFraction parameter");
        Run same = compare(
                fixture("baseline.json").toString(),
                Files.writeString(tmp.resolve("other-fraction.json"), otherFraction)
                        .toString());
        assertTrue(!same.out().contains("Only in"), "same rate, another share of capacity: matched\n" + same.out());
    }

    /** A ladder point of one run and the same rate's point of another are one row; a climb's outcome is matched without how it stopped. */
    @Test
    void ladderPointsAndClimbsMatchAcrossRuns() throws IOException {
        String capacity = "{\"benchmark\": \"" + LoadMetric.CAPACITY_BENCHMARK + "\", \"mode\": \"ss\", \"params\": "
                + "{\"runtime\": \"loop\", \"load\": \"mixed\", \"sloP99Ms\": \"120\", \"stop\": \"%s\"}, "
                + "\"primaryMetric\": {\"score\": %s, \"scoreUnit\": \"ops/s\"}}";
        Path base = Files.writeString(
                tmp.resolve("ladder-base.json"),
                "[" + point("1900", 1900, 900, true) + "," + capacity.formatted("fell-behind", "5200") + "]");
        Path cur = Files.writeString(
                tmp.resolve("ladder-cur.json"),
                "[" + point("1900", 1900, 950, true) + "," + capacity.formatted("p99-above-slo", "3700") + "]");
        Run r = compare(base.toString(), cur.toString());
        assertTrue(!r.out().contains("Only in"), r.out());
        // One run a side: a capacity is one number, with nothing to measure its noise by. The drop is shown,
        // the right way round (capacity is better higher), and judged only when runs are pooled.
        String row = r.row("LatencyUnderLoad.sloCapacity", "load=mixed,runtime=loop,sloP99Ms=120", "score");
        assertTrue(row.contains("higher") && row.contains("-28.8%") && row.contains("no error estimate"), row);
        assertEquals(0, r.code(), r.out());
    }

    /** A single-shot figure from a bare JMH file has nothing to measure its noise by: shown, never a failure. */
    @Test
    void aChangeWithoutAnErrorEstimateIsShownButNeverFails() throws IOException {
        String slower = Files.readString(fixture("baseline.json")).replace("\"score\" : 1500.0", "\"score\" : 2100.0");
        Path current = Files.writeString(tmp.resolve("slower-p99.json"), slower);
        Run r = compare(fixture("baseline.json").toString(), current.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        String row = r.row("LatencyUnderLoad.openLoop", "load=mixed,rate=2000,runtime=loop", "latency.p99");
        assertTrue(row.contains("+40.0%") && row.contains("no error estimate"), row);
        assertTrue(r.out().contains("1 without an error estimate"), r.out());
    }

    /** Late starts and errors come in bursts: one count a run has no spread to judge a change by. */
    @Test
    void aLoadPointCountIsNeverFailedOnOneValue() {
        var key = new RegressionCheck.Key(LoadMetric.BENCHMARK, "ss", "load=mixed", "lateStarts");
        var few = new loopbench.report.Metric(50, Double.NaN, Double.NaN, Double.NaN, "#", new double[] {50});
        var many = new loopbench.report.Metric(345, Double.NaN, Double.NaN, Double.NaN, "#", new double[] {345});
        assertEquals(
                Verdict.NO_ERROR_ESTIMATE,
                RegressionCheck.row(key, few, many, 10).verdict());
    }

    @Test
    void twoSamplesASideAreTooFewForTheRankTestAndSaySo() {
        var base =
                new loopbench.report.Metric(100, Double.NaN, Double.NaN, Double.NaN, "ns/op", new double[] {90, 110});
        var cur =
                new loopbench.report.Metric(150, Double.NaN, Double.NaN, Double.NaN, "ns/op", new double[] {145, 155});
        var key = new RegressionCheck.Key("a.B.c", "avgt", "", RegressionCheck.PRIMARY);
        RegressionCheck.Row row = RegressionCheck.row(key, base, cur, 10);
        assertEquals(Verdict.WITHIN_NOISE, row.verdict());
        assertEquals("too few samples (2 vs 2 iterations) for p < 0.01", row.note());
    }

    @Test
    void corruptJsonExitsTwoNamingTheFile() {
        Run r = compare(
                fixture("baseline.json").toString(), fixture("corrupt.json").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("corrupt.json: not valid JSON at line"), r.err());
    }

    /** Issue 19, defect 9: this read the whole of /dev/zero into the heap and died with an OutOfMemoryError. */
    @Test
    void devZeroExitsTwoWithOneLineInsteadOfFillingTheHeap() {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero), "needs /dev/zero");
        Run r = compare(fixture("baseline.json").toString(), zero.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("loopbench compare: /dev/zero: not valid JSON at line 1"), r.err());
    }

    @Test
    void aFileLargerThanAnyResultsFileIsRefusedUnread() throws IOException {
        Path huge = tmp.resolve("huge.json");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(RunFiles.MAX_BYTES + 1); // sparse: costs no disk
        }
        Run r = compare(fixture("baseline.json").toString(), huge.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "loopbench compare: " + huge + ": larger than 64 MiB, not a results file",
                r.err().strip());
    }

    @Test
    void missingFileExitsTwoNamingTheFile() {
        Path missing = tmp.resolve("nope.json");
        Run r = compare(missing.toString(), fixture("baseline.json").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(missing + ": file not found"), r.err());
    }

    @Test
    void jsonThatIsNotJmhOutputExitsTwo() {
        Run r = compare(
                fixture("baseline.json").toString(), fixture("not-jmh.json").toString());
        assertEquals(2, r.code());
        assertTrue(
                r.err()
                        .contains(
                                "not-jmh.json: not JMH JSON output: expected a top-level array of benchmark results, found an object"),
                r.err());
    }

    @Test
    void arrayOfOtherObjectsIsNotJmhOutput() throws IOException {
        Path odd = Files.writeString(tmp.resolve("odd.json"), "[{\"name\": \"x\"}]");
        Run r = compare(fixture("baseline.json").toString(), odd.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("odd.json: not JMH JSON output: result #1 has no \"benchmark\" name"), r.err());
    }

    @Test
    void badUsageExitsTwo() {
        assertEquals(2, compare().code());
        assertEquals(2, compare(fixture("baseline.json").toString()).code());
        assertEquals(2, compare("a", "b", "c").code());
        assertEquals(
                2,
                compare(
                                fixture("baseline.json").toString(),
                                fixture("baseline.json").toString(),
                                "--threshold",
                                "ten")
                        .code());
        assertEquals(
                2,
                compare(
                                fixture("baseline.json").toString(),
                                fixture("baseline.json").toString(),
                                "--bogus",
                                "1")
                        .code());
        assertEquals(0, compare("--help").code());
    }

    @Test
    void runDirectoriesUseResultsAndMicro() throws IOException {
        Path base = Files.createDirectories(tmp.resolve("base"));
        Path cur = Files.createDirectories(tmp.resolve("cur"));
        Files.copy(fixture("baseline.json"), base.resolve("micro.json"));
        Files.copy(fixture("regressed.json"), cur.resolve("micro.json"));
        Run r = compare(base.toString(), cur.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        Run empty = compare(
                base.toString(), Files.createDirectories(tmp.resolve("empty")).toString());
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("run directory has neither results.json nor micro.json"), empty.err());
    }

    /** Node's records in micro.json are the reference column: a slower Node is no regression of ours. */
    @Test
    void nodeRecordsAreNeverJudged() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode jmh =
                json.readTree(fixture("baseline.json").toFile());
        Path base = Files.createDirectories(tmp.resolve("nb")).resolve("micro.json");
        Path cur = Files.createDirectories(tmp.resolve("nc")).resolve("micro.json");
        Files.write(
                base,
                json.writeValueAsBytes(loopbench.report.NodeBaseline.mergeInto(
                        jmh, json.readTree("{\"node\": \"v20.20.2\", \"ops\": {\"promiseThenChain\": 30.0}}"))));
        Files.write(
                cur,
                json.writeValueAsBytes(loopbench.report.NodeBaseline.mergeInto(
                        jmh, json.readTree("{\"node\": \"v20.20.2\", \"ops\": {\"promiseThenChain\": 60.0}}"))));
        assertTrue(Files.readString(cur).contains("\"node\""), "the fixture has a Node record");
        Run r = compare(base.toString(), cur.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertFalse(r.out().contains("runtime=node"), r.out());
    }

    @Test
    void writesMarkdownAndBothGithubBenchmarkFiles() throws IOException {
        Path md = tmp.resolve("out/summary.md");
        Path gh = tmp.resolve("out/bench.json");
        Run r = compare(
                fixture("baseline.json").toString(),
                fixture("regressed.json").toString(),
                "--markdown",
                md.toString(),
                "--github-json",
                gh.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        String markdown = Files.readString(md);
        assertTrue(markdown.contains(":x: 1 regression"), markdown);
        assertTrue(markdown.contains("### Regressions"), markdown);
        assertTrue(markdown.contains("| PromiseQuestion.promiseThenChain | runtime=loop | score (avgt) |"), markdown);

        ObjectMapper json = new ObjectMapper();
        JsonNode smaller = json.readTree(gh.toFile());
        JsonNode bigger = json.readTree(tmp.resolve("out/bench.bigger.json").toFile());
        assertTrue(smaller.isArray() && bigger.isArray());
        assertEquals(
                6,
                smaller.size(),
                smaller.toPrettyString()); // 3 ns/op, B/op, latency.p99, lateStarts (#); MB/sec left out
        assertEquals(1, bigger.size(), bigger.toPrettyString()); // the ops/s throughput
        JsonNode first = smaller.get(3);
        for (String field : new String[] {"name", "unit", "value", "extra"}) {
            assertTrue(first.has(field), first.toString());
        }
        assertEquals(
                "PromiseQuestion.promiseThenChain [runtime=loop] avgt score",
                first.get("name").asText());
        assertEquals(150.0, first.get("value").asDouble());
        assertEquals("± 5.00", first.get("range").asText());
        assertTrue(first.get("extra").asText().contains("regression"), first.toString());
        assertEquals("ops/s", bigger.get(0).get("unit").asText());
        assertFalse(Files.list(tmp.resolve("out"))
                .anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    /** Issue 17: a run that served 20% more requests must not fail compare for it. */
    @Test
    void loadPointDirectionIsTheSchemasNotTheUnits() {
        String load = LoadMetric.BENCHMARK;
        assertEquals(Direction.BIGGER_IS_BETTER, Direction.of(load, "ss", "score"));
        assertEquals(Direction.SMALLER_IS_BETTER, Direction.of(load, "ss", "latency.p99"));
        assertEquals(Direction.SMALLER_IS_BETTER, Direction.of(load, "ss", "latency.p99.99"));
        assertEquals(Direction.SMALLER_IS_BETTER, Direction.of(load, "ss", "lateStarts"));
        assertEquals(
                Direction.NEVER_JUDGED,
                Direction.of(load, "ss", "requests"),
                "requests issued is work done, not a cost");
        assertEquals(Direction.NEVER_JUDGED, Direction.of(load, "ss", "cpu.ms"), "CPU time grows with the work done");
        assertEquals(Direction.UNDEFINED, Direction.of(load, "ss", "someNewMetric"), "never judged by its unit alone");
    }

    /** A load point as the harness writes it: 12,000 req/s achieved, a p99 latency, valid or not. */
    private static String point(String rate, double achieved, double p99, boolean valid) {
        return "{\"benchmark\": \"loopbench.bench.load.LatencyUnderLoad.openLoop\", \"mode\": \"ss\", \"params\": "
                + "{\"runtime\": \"loop\", \"load\": \"mixed\", \"rate\": \"" + rate
                + "\"}, \"primaryMetric\": {\"score\": "
                + achieved + ", \"scoreUnit\": \"ops/s\"}, \"secondaryMetrics\": {\"latency.p99\": {\"score\": " + p99
                + ", \"scoreUnit\": \"us\"}}"
                + (valid ? "" : ", \"valid\": false, \"invalidReason\": \"8 requests completed\"") + "}";
    }

    @Test
    void aPointMarkedInvalidIsNeverJudgedAndCompareSaysSo() throws IOException {
        Path base = Files.writeString(
                tmp.resolve("base.json"),
                "[" + point("100", 100, 500, true) + "," + point("5300", 5300, 900, true) + "]");
        // the second point is 8 requests long: 30% "worse" p99 and throughput, but nothing measured
        Path cur = Files.writeString(
                tmp.resolve("cur.json"),
                "[" + point("100", 100, 500, true) + "," + point("5300", 7000, 1200, false) + "]");
        Run r = compare(base.toString(), cur.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(
                r.out()
                        .contains("left out of " + cur
                                + ": load=mixed,rate=5300,runtime=loop is invalid (8 requests completed)"),
                r.out());
    }
}
