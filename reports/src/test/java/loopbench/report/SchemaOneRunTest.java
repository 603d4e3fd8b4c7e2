package loopbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import loopbench.compare.CompareCommand;
import loopbench.schema.RunFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory as the schema-1 writers left it before the shared records (src/test/resources/run-schema1:
 * results.json from the hand-written writer, jfr-summary.json without totals) still loads; a newer
 * schema is refused with the version it needs.
 */
class SchemaOneRunTest {
    @TempDir
    Path tmp;

    static Path fixture() throws Exception {
        return Path.of(SchemaOneRunTest.class.getResource("/run-schema1").toURI());
    }

    @Test
    void aSchemaOneDirectoryLoadsWhole() throws Exception {
        ResultsDir rd = ResultsDir.read(fixture());
        assertNotNull(rd.run(), rd.problems().toString());
        assertEquals("quick", rd.run().profile());
        assertEquals(4000.0, rd.run().capacity().get("mixed").get("loop"));
        assertFalse(rd.partial());
        assertEquals(2, rd.loadPoints().size());
        assertEquals(
                812.0,
                rd.loadPoints().get(0).result().secondary().get("latency.p50").score());
        assertNotNull(rd.jfrSummary(), rd.problems().toString());
        assertEquals(2, rd.jfrSummary().points().size());
        assertNull(rd.jfrSummary().totals(), "schema 1 summaries from ResultFiles had no totals");
        assertTrue(
                rd.problems().stream()
                        .noneMatch(p -> p.startsWith("run.json")
                                || p.startsWith("jfr-summary.json")
                                || p.startsWith("results.json: not")),
                rd.problems().toString());
    }

    @Test
    void compareOfASchemaOneRunWithItselfPasses() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = compare(out, fixture().toString(), fixture().toString());
        assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Issue 17: 20% more throughput, and so 20% more requests and CPU time, is never a regression. A
     * bare results.json has no intervals to measure the throughput's noise by, so it is no improvement either.
     */
    @Test
    void moreThroughputAndMoreRequestsIsNoRegression() throws Exception {
        JsonNode results = RunFiles.readTree(fixture().resolve("results.json"));
        for (JsonNode e : results) {
            for (String metric : new String[] {"requests", "cpu.ms", "gc.count"}) {
                scale((ObjectNode) e.path("secondaryMetrics").path(metric));
            }
            scale((ObjectNode) e.path("primaryMetric"));
        }
        Path more = tmp.resolve("more.json");
        RunFiles.write(more, results);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = compare(out, fixture().resolve("results.json").toString(), more.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(
                text.contains(
                        "0 regression(s), 0 improvement(s), 0 explained by queueing, 0 within noise, 2 without an error estimate"),
                text);
    }

    private static void scale(ObjectNode metric) {
        double v = metric.path("score").asDouble() * 1.2;
        metric.put("score", v);
        metric.set("rawData", RunFiles.JSON.valueToTree(List.of(List.of(v))));
    }

    @Test
    void aNewerSchemaSaysWhichVersionItNeeds() throws Exception {
        Path copy = tmp.resolve("run");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(fixture())) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Files.writeString(
                copy.resolve("run.json"),
                Files.readString(copy.resolve("run.json")).replace("\"schema\": 1", "\"schema\": 3"));
        ResultsDir rd = ResultsDir.read(copy);
        assertNull(rd.run());
        assertTrue(
                rd.problems()
                        .contains("run.json: schema 3 needs a newer loopbench (this one reads schema 2 and older); "
                                + "run metadata unknown"),
                rd.problems().toString());
    }

    /** The command as ./loopbench runs it, both streams into {@code out}. */
    private static int compare(ByteArrayOutputStream out, String... args) {
        PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new picocli.CommandLine(new CompareCommand(p, p))
                .setOut(new java.io.PrintWriter(p, true))
                .setErr(new java.io.PrintWriter(p, true))
                .execute(args);
    }
}
