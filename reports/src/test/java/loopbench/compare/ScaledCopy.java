package loopbench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import loopbench.report.BadInputException;
import loopbench.report.LatencyLog;
import loopbench.schema.LoadMetric;
import loopbench.schema.RunFiles;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * A copy of a real run directory with its load points changed as a regression or an improvement
 * would change them, consistently in results.json, the hlog intervals and the lag CSVs (compare
 * reads its samples from those): {@code latency} scales every latency value, {@code work} the
 * throughput and the requests (each interval's count). {@code main(FROM, TO, LATENCY, WORK)}.
 */
final class ScaledCopy {
    private ScaledCopy() {}

    public static void main(String[] args) throws IOException, BadInputException {
        write(Path.of(args[0]), Path.of(args[1]), Double.parseDouble(args[2]), Double.parseDouble(args[3]));
    }

    static void write(Path from, Path to, double latency, double work) throws IOException, BadInputException {
        Files.createDirectories(to.resolve("hlog"));
        Files.createDirectories(to.resolve("lag"));
        for (String f : List.of("run.json", "micro.json")) {
            if (Files.exists(from.resolve(f))) Files.copy(from.resolve(f), to.resolve(f));
        }
        JsonNode results = RunFiles.readTree(from.resolve("results.json"));
        for (JsonNode point : results) {
            if (!LoadMetric.BENCHMARK.equals(point.path("benchmark").asText())) continue;
            scale(point.get("primaryMetric"), work);
            point.get("secondaryMetrics").fields().forEachRemaining(e -> {
                String name = e.getKey();
                if (name.startsWith("latency.") || name.startsWith("uncorrected.") || name.startsWith("lag.")) {
                    scale(e.getValue(), latency);
                } else if (name.equals("requests")) {
                    scale(e.getValue(), work);
                }
            });
        }
        RunFiles.write(to.resolve("results.json"), results);
        try (Stream<Path> logs = Files.list(from.resolve("hlog"))) {
            for (Path log : logs.toList()) copyLog(log, to.resolve("hlog").resolve(log.getFileName()), latency, work);
        }
        try (Stream<Path> csvs = Files.list(from.resolve("lag"))) {
            for (Path csv : csvs.toList()) {
                List<String> out = new ArrayList<>();
                for (String line : Files.readAllLines(csv)) {
                    String[] c = line.split(",");
                    out.add(
                            c.length == 2 && c[1].matches("\\d+")
                                    ? c[0] + "," + Math.round(Long.parseLong(c[1]) * latency)
                                    : line);
                }
                Files.write(to.resolve("lag").resolve(csv.getFileName()), out);
            }
        }
    }

    private static void scale(JsonNode metric, double factor) {
        ObjectNode m = (ObjectNode) metric;
        m.put("score", m.get("score").asDouble() * factor);
        m.remove("rawData");
    }

    private static void copyLog(Path from, Path to, double latency, double work) throws IOException, BadInputException {
        List<Histogram> intervals = LatencyLog.intervals(from);
        try (PrintStream ps = new PrintStream(Files.newOutputStream(to))) {
            HistogramLogWriter w = new HistogramLogWriter(ps);
            w.outputLogFormatVersion();
            long base = intervals.isEmpty() ? 0 : intervals.get(0).getStartTimeStamp();
            w.outputStartTime(base);
            w.setBaseTime(base);
            w.outputLegend();
            for (Histogram h : intervals) {
                Histogram s = new Histogram(3);
                h.recordedValues()
                        .forEach(v -> s.recordValueWithCount(
                                Math.round(v.getValueIteratedTo() * latency),
                                Math.round(v.getCountAtValueIteratedTo() * work)));
                s.setStartTimeStamp(h.getStartTimeStamp());
                s.setEndTimeStamp(h.getEndTimeStamp());
                w.outputIntervalHistogram(s);
            }
        }
    }
}
