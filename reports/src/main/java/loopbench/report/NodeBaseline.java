package loopbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Node.js's own timings of the micro operations: nanoseconds per operation keyed by the same names
 * as the micro benchmark methods, so each JVM runtime can be shown as a ratio.
 *
 * <p>They come as node.json (node-micro.js's output) and, merged by {@code loopbench micro}, as
 * records of micro.json itself: JMH records with {@code params.runtime = "node"}, {@code vmName
 * "Node.js"} and Node's version as {@code vmVersion}, named like the JMH benchmark of the same
 * operation. One file then holds all four columns, and a JMH viewer shows Node as one more runtime.
 * Readers of our own results take those records out again ({@link #isNodeRecord}): Node is the
 * reference, not a runtime of ours, and never a regression.
 */
public record NodeBaseline(String version, Map<String, Double> nanosPerOp) {
    /** The {@code runtime} parameter of Node's records in micro.json. */
    public static final String RUNTIME = "node";

    static NodeBaseline read(Path file) throws BadInputException {
        JsonNode root = JmhJson.readTree(file);
        JsonNode ops = root.get("ops");
        if (!root.isObject() || ops == null || !ops.isObject()) {
            throw new BadInputException(file, "expected an object with an \"ops\" object of operation -> ns");
        }
        Map<String, Double> nanos = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ops.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            double v = JmhJson.number(e.getValue());
            if (Double.isFinite(v) && v > 0) {
                nanos.put(e.getKey(), v);
            }
        }
        return new NodeBaseline(root.path("node").asText("node"), nanos);
    }

    /** Node's figures from the Node records of a micro.json array; null if it has none. */
    static NodeBaseline fromMicro(JsonNode micro) {
        Map<String, Double> nanos = new LinkedHashMap<>();
        String version = null;
        for (JsonNode r : micro) {
            if (!isNodeRecord(r)) continue;
            version = version != null ? version : r.path("vmVersion").asText("node");
            String b = r.path("benchmark").asText("");
            double v = JmhJson.number(r.path("primaryMetric").path("score"));
            if (Double.isFinite(v) && v > 0) nanos.put(b.substring(b.lastIndexOf('.') + 1), v);
        }
        return version == null ? null : new NodeBaseline(version, nanos);
    }

    public static boolean isNodeRecord(JsonNode record) {
        return RUNTIME.equals(record.path("params").path("runtime").asText(null));
    }

    public static boolean isNodeRecord(JmhResult r) {
        return RUNTIME.equals(r.param("runtime"));
    }

    /**
     * {@code micro} (a JMH JSON array) with node-micro.js's output {@code node} added as Node records:
     * each operation under the name of the JMH benchmark with that method and a runtime parameter,
     * each memory figure as a secondary metric of the JMH benchmark that reports the same metric.
     * Node records already there are replaced; an operation with no JMH benchmark in {@code micro}
     * is left out (node.json keeps everything).
     */
    public static ArrayNode mergeInto(JsonNode micro, JsonNode node) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        Map<String, String> benchmarkOfMethod = new LinkedHashMap<>();
        Map<String, String> benchmarkOfMetric = new LinkedHashMap<>();
        String version = "";
        for (JsonNode r : micro) {
            if (isNodeRecord(r)) continue;
            out.add(r);
            version = r.path("jmhVersion").asText(version);
            if (!r.path("params").has("runtime")) continue; // a floor shares its method's name; it is not the operation
            String b = r.path("benchmark").asText("");
            benchmarkOfMethod.putIfAbsent(b.substring(b.lastIndexOf('.') + 1), b);
            r.path("secondaryMetrics").fieldNames().forEachRemaining(m -> benchmarkOfMetric.putIfAbsent(m, b));
        }
        String jmhVersion = version;
        Map<String, ObjectNode> added = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("ops").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String benchmark = benchmarkOfMethod.get(e.getKey());
            double v = JmhJson.number(e.getValue());
            if (benchmark != null && Double.isFinite(v))
                added.put(benchmark, nodeRecord(jmhVersion, benchmark, v, node));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("bytes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String benchmark = benchmarkOfMetric.get(e.getKey());
            if (benchmark == null) continue;
            ObjectNode rec = added.computeIfAbsent(benchmark, b -> nodeRecord(jmhVersion, b, Double.NaN, node));
            ObjectNode m = ((ObjectNode) rec.get("secondaryMetrics")).putObject(e.getKey());
            m.put("score", JmhJson.number(e.getValue()));
            m.put("scoreError", "NaN");
            m.put("scoreUnit", "#");
        }
        added.values().forEach(out::add);
        return out;
    }

    private static ObjectNode nodeRecord(String jmhVersion, String benchmark, double score, JsonNode node) {
        ObjectNode rec = JsonNodeFactory.instance.objectNode();
        rec.put("jmhVersion", jmhVersion);
        rec.put("benchmark", benchmark);
        rec.put("mode", "avgt");
        rec.put("threads", 1);
        rec.put("forks", 1);
        rec.put("jvm", "node");
        rec.put("vmName", "Node.js");
        rec.put("vmVersion", node.path("node").asText("node"));
        rec.putObject("params").put("runtime", RUNTIME);
        ObjectNode primary = rec.putObject("primaryMetric");
        if (Double.isFinite(score)) {
            primary.put("score", score);
            primary.putArray("scoreConfidence").add(score).add(score);
        } else {
            primary.put("score", "NaN");
        }
        primary.put("scoreError", "NaN");
        primary.put("scoreUnit", "ns/op");
        rec.putObject("secondaryMetrics");
        return rec;
    }
}
