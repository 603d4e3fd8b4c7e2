package loopbench.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import loopbench.compare.RegressionCheck.Key;
import loopbench.compare.RegressionCheck.Row;
import loopbench.core.io.AtomicFile;
import loopbench.report.Metric;
import loopbench.report.NumberText;
import loopbench.schema.Direction;

/**
 * The current results in the "custom" JSON that github-action-benchmark reads: an array of
 * {name, unit, value, range, extra}. The action takes one direction per file, so smaller-is-better
 * metrics go to FILE (tool: customSmallerIsBetter) and bigger-is-better ones to FILE's sibling
 * {@code <name>.bigger.json} (tool: customBiggerIsBetter). Metrics that are never judged are left out.
 */
public final class GithubBenchmarkJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GithubBenchmarkJson() {}

    /** The bigger-is-better sibling: bench.json -> bench.bigger.json, bench -> bench.bigger.json. */
    public static Path biggerSibling(Path file) {
        String name = file.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return file.resolveSibling(stem + ".bigger.json");
    }

    /** Writes both files; returns the bigger-is-better one. */
    public static Path write(Path file, Map<Key, Metric> current, Map<Key, Row> compared) throws IOException {
        ArrayNode smaller = MAPPER.createArrayNode();
        ArrayNode bigger = MAPPER.createArrayNode();
        current.forEach((key, m) -> {
            Direction dir = Direction.of(key.benchmark(), key.mode(), key.metric());
            if (!dir.judged() || !Double.isFinite(m.score())) {
                return;
            }
            ObjectNode e = (dir == Direction.SMALLER_IS_BETTER ? smaller : bigger).addObject();
            e.put("name", key.toString());
            e.put("unit", m.unit());
            e.put("value", m.score());
            if (m.hasConfidence()) {
                e.put("range", "± " + NumberText.sig(m.error()));
            }
            Row row = compared.get(key);
            e.put(
                    "extra",
                    row == null
                            ? "no baseline"
                            : "baseline " + CompareReport.value(row.baseline()) + "; change "
                                    + CompareReport.change(row.changePct()) + "; " + row.verdict()
                                    + (row.note().isEmpty() ? "" : " (" + row.note() + ")"));
        });
        Path big = biggerSibling(file);
        AtomicFile.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(smaller));
        AtomicFile.write(big, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(bigger));
        return big;
    }
}
