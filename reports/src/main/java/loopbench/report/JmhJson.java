package loopbench.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the JSON that JMH writes with {@code -rf json}: a top-level array of result objects.
 * Anything else (a missing file, broken JSON, a JSON file of another kind) is refused with a
 * {@link BadInputException} that says which file and what is wrong, never a stack trace.
 */
public final class JmhJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JmhJson() {}

  public static List<JmhResult> read(Path file) throws BadInputException {
    return read(file, readTree(file));
  }

  /** The results of {@code root}, already parsed from {@code file} (named in errors). */
  public static List<JmhResult> read(Path file, JsonNode root) throws BadInputException {
    if (!root.isArray()) {
      throw new BadInputException(file, "not JMH JSON output: expected a top-level array of benchmark results, found "
          + kind(root));
    }
    List<JmhResult> results = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      results.add(result(file, i, root.get(i)));
    }
    return results;
  }

  /** Parses any JSON file, naming the file and the position of a syntax error. */
  public static JsonNode readTree(Path file) throws BadInputException {
    if (Files.isDirectory(file)) {
      throw new BadInputException(file, "is a directory, expected a JSON file");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BadInputException(file, "file not found");
    } catch (IOException e) {
      throw new BadInputException(file, "cannot read: " + e);
    }
    if (bytes.length == 0) {
      throw new BadInputException(file, "empty file, expected JSON");
    }
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new BadInputException(file, "no JSON content");
      }
      return node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new BadInputException(file, "not valid JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadInputException(file, "cannot read: " + e);
    }
  }

  private static JmhResult result(Path file, int index, JsonNode node) throws BadInputException {
    String where = "result #" + (index + 1);
    if (!node.isObject()) {
      throw new BadInputException(file, "not JMH JSON output: " + where + " is " + kind(node) + ", expected an object");
    }
    JsonNode benchmark = node.get("benchmark");
    if (benchmark == null || !benchmark.isTextual() || benchmark.asText().isBlank()) {
      throw new BadInputException(file, "not JMH JSON output: " + where + " has no \"benchmark\" name");
    }
    where += " (" + benchmark.asText() + ")";
    JsonNode primary = node.get("primaryMetric");
    if (primary == null || !primary.isObject()) {
      throw new BadInputException(file, "not JMH JSON output: " + where + " has no \"primaryMetric\" object");
    }
    Map<String, String> params = new TreeMap<>();
    JsonNode p = node.path("params");
    for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      params.put(e.getKey(), e.getValue().asText());
    }
    Map<String, Metric> secondary = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("secondaryMetrics").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      secondary.put(e.getKey(), metric(file, where + " secondary metric \"" + e.getKey() + "\"", e.getValue()));
    }
    String invalid = node.path("valid").asBoolean(true) ? null : node.path("invalidReason").asText("marked invalid");
    return new JmhResult(benchmark.asText(), node.path("mode").asText(""), params,
        metric(file, where + " primaryMetric", primary), secondary, invalid);
  }

  private static Metric metric(Path file, String where, JsonNode node) throws BadInputException {
    JsonNode score = node.get("score");
    if (score == null || !(score.isNumber() || score.isTextual())) {
      throw new BadInputException(file, "not JMH JSON output: " + where + " has no \"score\"");
    }
    JsonNode unit = node.get("scoreUnit");
    if (unit == null || !unit.isTextual()) {
      throw new BadInputException(file, "not JMH JSON output: " + where + " has no \"scoreUnit\"");
    }
    JsonNode ci = node.path("scoreConfidence");
    List<Double> raw = new ArrayList<>();
    for (JsonNode fork : node.path("rawData")) {
      if (fork.isArray()) {
        fork.forEach(v -> raw.add(number(v)));
      } else {
        raw.add(number(fork));
      }
    }
    return new Metric(number(score), number(node.get("scoreError")), number(ci.get(0)), number(ci.get(1)),
        unit.asText(), raw.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** JMH writes NaN and infinities as strings; anything absent or unparsable becomes NaN. */
  static double number(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return Double.NaN;
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    try {
      return Double.parseDouble(v.asText().trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static String kind(JsonNode node) {
    if (node.isObject()) {
      return "an object" + (node.has("schema") ? " (looks like run.json)" : "");
    }
    return node.isArray() ? "an array" : node.isTextual() ? "a string" : node.isNumber() ? "a number" : node.getNodeType().toString().toLowerCase();
  }
}
