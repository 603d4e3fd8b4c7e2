package loopbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node's figures as records of micro.json: how they are named, and that our readers set them apart. */
class NodeBaselineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PKG = "loopbench.bench.micro.";

    @TempDir
    Path dir;

    private static String record(String benchmark, String runtime, double score, String secondary) {
        String params = runtime == null ? "" : "\"params\": {\"runtime\": \"" + runtime + "\"},";
        String sec = secondary == null ? "{}" : "{\"" + secondary + "\": {\"score\": 48.0, \"scoreUnit\": \"#\"}}";
        return "{\"jmhVersion\": \"1.37\", \"benchmark\": \"" + PKG + benchmark + "\", \"mode\": \"avgt\", " + params
                + "\"primaryMetric\": {\"score\": " + score + ", \"scoreError\": 0.5, \"scoreUnit\": \"ns/op\"},"
                + "\"secondaryMetrics\": " + sec + "}";
    }

    private static JsonNode micro() throws Exception {
        return JSON.readTree("["
                + String.join(
                        ",",
                        record("ArrayDequeFloor.promiseThenChain", null, 14.0, null),
                        record("PromiseCost.promiseThenChain", "loop", 27.0, null),
                        record("PromiseCost.promiseThenChain", "loom", 28.0, null),
                        record("MemoryPerPendingTimer.pendingTimer", "loop", 1000.0, "bytesPerTimer"))
                + "]");
    }

    private static final String NODE =
            "{\"node\": \"v20.20.2\", \"ops\": {\"promiseThenChain\": 33.0, \"onlyInNode\": 5.0},"
                    + " \"bytes\": {\"bytesPerTimer\": 90.0}}";

    private static List<JsonNode> nodeRecords(JsonNode merged) {
        List<JsonNode> out = new ArrayList<>();
        merged.forEach(r -> {
            if (NodeBaseline.isNodeRecord(r)) out.add(r);
        });
        return out;
    }

    @Test
    void nodeFiguresJoinTheJmhBenchmarkOfTheSameOperationAsARuntimeOfTheirOwn() throws Exception {
        ArrayNode merged = NodeBaseline.mergeInto(micro(), JSON.readTree(NODE));
        List<JsonNode> node = nodeRecords(merged);
        assertEquals(2, node.size(), merged.toPrettyString());
        JsonNode then = node.get(0);
        assertEquals(
                PKG + "PromiseCost.promiseThenChain",
                then.path("benchmark").asText(),
                "named after the runtime benchmark, not its floor");
        assertEquals(33.0, then.path("primaryMetric").path("score").asDouble());
        assertEquals("ns/op", then.path("primaryMetric").path("scoreUnit").asText());
        assertEquals("Node.js", then.path("vmName").asText());
        assertEquals("v20.20.2", then.path("vmVersion").asText());
        JsonNode timer = node.get(1);
        assertEquals(
                PKG + "MemoryPerPendingTimer.pendingTimer",
                timer.path("benchmark").asText());
        assertEquals(
                90.0,
                timer.path("secondaryMetrics")
                        .path("bytesPerTimer")
                        .path("score")
                        .asDouble());
        assertEquals(6, merged.size(), "the JMH records are kept; an operation JMH did not run is left out");

        ArrayNode again = NodeBaseline.mergeInto(merged, JSON.readTree(NODE.replace("33.0", "35.0")));
        assertEquals(6, again.size(), "a second merge replaces Node's records");
        assertEquals(
                35.0,
                nodeRecords(again).get(0).path("primaryMetric").path("score").asDouble());
    }

    @Test
    void readersTakeNodeRecordsOutOfTheRuntimesAndReadThemAsTheBaseline() throws Exception {
        ArrayNode merged = NodeBaseline.mergeInto(micro(), JSON.readTree(NODE));
        Files.write(dir.resolve("micro.json"), JSON.writeValueAsBytes(merged));

        ResultsDir run = ResultsDir.read(dir);
        assertTrue(run.micro().stream().noneMatch(NodeBaseline::isNodeRecord), "node is not a runtime of ours");
        assertEquals(4, run.micro().size());
        NodeBaseline node = run.node();
        assertNotNull(node, "without node.json, Node's figures come from micro.json");
        assertEquals("v20.20.2", node.version());
        assertEquals(33.0, node.nanosPerOp().get("promiseThenChain"));
        MicroSuite suite = MicroSuite.of(run.micro(), node);
        assertFalse(suite.runtimes().contains(NodeBaseline.RUNTIME));
    }
}
