package loopbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import loopbench.schema.JmhEntry;
import loopbench.schema.RunFiles;

/**
 * Reads the JSON that JMH writes with {@code -rf json}: a top-level array of result objects, each a
 * {@link JmhEntry} of the shared schema, seen by the report as a {@link JmhResult}.
 * Anything else (a missing file, broken JSON, a JSON file of another kind) is refused with a
 * {@link BadInputException} that says which file and what is wrong, never a stack trace.
 */
public final class JmhJson {
    private JmhJson() {}

    public static List<JmhResult> read(Path file) throws BadInputException {
        return read(file, readTree(file));
    }

    /** The results of {@code root}, already parsed from {@code file} (named in errors). */
    public static List<JmhResult> read(Path file, JsonNode root) throws BadInputException {
        if (!root.isArray()) {
            throw new BadInputException(
                    file, "not JMH JSON output: expected a top-level array of benchmark results, found " + kind(root));
        }
        List<JmhResult> results = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            results.add(result(file, i, root.get(i)));
        }
        return results;
    }

    /**
     * Parses any JSON file, naming the file and the position of a syntax error. The file is streamed
     * and bounded ({@link RunFiles#MAX_BYTES}): {@code /dev/zero} is refused, not read into the heap.
     */
    public static JsonNode readTree(Path file) throws BadInputException {
        try {
            return RunFiles.readTree(file);
        } catch (RunFiles.BadFileException e) {
            throw new BadInputException(file, e.problem());
        }
    }

    private static JmhResult result(Path file, int index, JsonNode node) throws BadInputException {
        String where = "result #" + (index + 1);
        if (!node.isObject()) {
            throw new BadInputException(
                    file, "not JMH JSON output: " + where + " is " + kind(node) + ", expected an object");
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
        JmhEntry e;
        try {
            e = RunFiles.convert(file, node, JmhEntry.class);
        } catch (RunFiles.BadFileException x) {
            throw new BadInputException(file, "not JMH JSON output: " + where + ": " + x.problem());
        }
        Map<String, String> params = new TreeMap<>(e.params() == null ? Map.of() : e.params());
        Map<String, Metric> secondary = new LinkedHashMap<>();
        if (e.secondaryMetrics() != null) {
            for (Map.Entry<String, JmhEntry.Metric> m : e.secondaryMetrics().entrySet()) {
                secondary.put(
                        m.getKey(), metric(file, where + " secondary metric \"" + m.getKey() + "\"", m.getValue()));
            }
        }
        return new JmhResult(
                e.benchmark(),
                e.mode() == null ? "" : e.mode(),
                params,
                metric(file, where + " primaryMetric", e.primaryMetric()),
                secondary,
                e.whyInvalid(),
                seconds(e.measurementTime()));
    }

    /** "1.5 s" as 1.5; anything else (JMH's "500 ms", "single-shot", absent) is NaN. */
    static double seconds(String measurementTime) {
        if (measurementTime == null || !measurementTime.matches("\\d+(\\.\\d+)? s")) {
            return Double.NaN;
        }
        return Double.parseDouble(measurementTime.substring(0, measurementTime.length() - 2));
    }

    private static Metric metric(Path file, String where, JmhEntry.Metric m) throws BadInputException {
        if (m == null || m.score() == null) {
            throw new BadInputException(file, "not JMH JSON output: " + where + " has no \"score\"");
        }
        if (m.scoreUnit() == null) {
            throw new BadInputException(file, "not JMH JSON output: " + where + " has no \"scoreUnit\"");
        }
        List<Double> ci = m.scoreConfidence() == null ? List.of() : m.scoreConfidence();
        double[] raw = m.rawData() == null
                ? new double[0]
                : m.rawData().stream()
                        .filter(fork -> fork != null)
                        .flatMap(List::stream)
                        .mapToDouble(JmhJson::number)
                        .toArray();
        return new Metric(
                m.score(),
                number(m.scoreError()),
                ci.size() > 0 ? number(ci.get(0)) : Double.NaN,
                ci.size() > 1 ? number(ci.get(1)) : Double.NaN,
                m.scoreUnit(),
                raw);
    }

    private static double number(Double v) {
        return v == null ? Double.NaN : v;
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
        return node.isArray()
                ? "an array"
                : node.isTextual()
                        ? "a string"
                        : node.isNumber()
                                ? "a number"
                                : node.getNodeType().toString().toLowerCase();
    }
}
