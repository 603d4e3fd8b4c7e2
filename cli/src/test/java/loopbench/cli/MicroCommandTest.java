package loopbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The summary `loopbench micro` prints: which figures are judged against the targets, and how. */
class MicroCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String record(String benchmark, String runtime, double score) {
        String params = runtime == null ? "" : "\"params\": {\"runtime\": \"" + runtime + "\"},";
        return "{\"benchmark\": \"loopbench.bench.micro." + benchmark + "\", \"mode\": \"avgt\", " + params
                + "\"primaryMetric\": {\"score\": " + score + ", \"scoreUnit\": \"ns/op\"}, \"secondaryMetrics\": {}}";
    }

    private static String summary() throws Exception {
        JsonNode micro = JSON.readTree("["
                + String.join(
                        ",",
                        record("PromiseCost.promiseThenChain", "loop", 25.0),
                        record("PromiseCost.promiseThenChain1M", "loop", 31.0),
                        record("ImmediateCost.setImmediateBatch", "loop", 7.8),
                        record("ImmediateCost.setImmediateBatch250k", "loop", 6.5),
                        record("ArrayDequeFloor.setImmediateBatch", null, 2.5),
                        record("ArrayDequeFloor.setImmediateBatch250k", null, 8.0),
                        record("ClockCost.nanoTime", null, 19.0))
                + "]");
        JsonNode node = JSON.readTree("{\"node\": \"v20.20.2\", \"ops\": {\"promiseThenChain\": 35.0,"
                + " \"promiseThenChain1M\": 210.0, \"setImmediateBatch\": 47.0, \"setImmediateBatch250k\": 158.0}}");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MicroSummary.print(micro, node, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theNodeTargetIsJudgedAtTheAnchorsSizesAndTheSmallerSizeIsShownBesideIt() throws Exception {
        String out = summary();
        assertTrue(
                out.contains("met     loop at least 3x cheaper than Node: promiseThenChain1M 6.77x (31.0 vs 210 ns)"),
                out);
        assertTrue(out.contains("met     loop at least 3x cheaper than Node: setImmediateBatch250k 24x"), out);
        assertTrue(
                out.contains("info    Node / loop below the anchor's size: promiseThenChain 1.40x (25.0 vs 35.0 ns)"),
                out);
        assertFalse(
                out.contains("than Node: promiseThenChain 1.40x"),
                "100k is not the size the target was set at:\n" + out);
    }

    @Test
    void aBenchmarkWithNoRuntimeThatIsNoFloorStillShowsItsFigure() throws Exception {
        assertTrue(summary().contains("ClockCost.nanoTime (no runtime parameter): 19.0 ns"), summary());
    }

    @Test
    void theGcProfilerAlwaysRunsUnlessAskedForAlready() {
        java.nio.file.Path jar = java.nio.file.Path.of("b.jar"), rf = java.nio.file.Path.of("m.json");
        java.util.List<String> plain = MicroCommand.jmhCommand(jar, rf, false, java.util.List.of());
        assertTrue(String.join(" ", plain).contains("-prof gc"), plain.toString());
        java.util.List<String> own =
                MicroCommand.jmhCommand(jar, rf, false, java.util.List.of("-prof", "gc:churn=true"));
        assertEquals(
                1, own.stream().filter("-prof"::equals).count(), "the user's gc profiler, not a second one: " + own);
    }

    @Test
    void theFloorTargetIsJudgedAtBothSizesSoAMissIsNeverHidden() throws Exception {
        String out = summary();
        assertTrue(out.contains("met     loop within 3x of the ArrayDeque floor: setImmediateBatch250k 0.81x"), out);
        assertTrue(
                out.contains(
                        "MISSED  loop within 3x of the ArrayDeque floor: setImmediateBatch 3.12x (7.80 vs 2.50 ns)"),
                out);
    }
}
