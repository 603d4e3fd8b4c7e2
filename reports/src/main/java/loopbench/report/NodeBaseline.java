package loopbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Node.js's own timings of the micro operations (node.json): nanoseconds per operation keyed by
 * the same names as the micro benchmark methods, so each JVM runtime can be shown as a ratio.
 */
public record NodeBaseline(String version, Map<String, Double> nanosPerOp) {

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
}
