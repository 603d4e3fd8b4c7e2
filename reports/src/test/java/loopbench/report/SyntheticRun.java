package loopbench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import loopbench.bench.ladder.Climb;
import loopbench.bench.ladder.PointOutcome;
import loopbench.bench.ladder.RateLadder;
import loopbench.bench.ladder.SaturationRule;
import loopbench.bench.load.Loads;
import loopbench.core.EventLoops;
import loopbench.schema.LoadMetric;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes a complete, plausible run directory (run.json, results.json with every harness metric and
 * each runtime's climb up the ladder, corrected and uncorrected hlog files, lag CSVs, micro.json,
 * node.json, a JFR stub) from a fixed seed, so report tests and eyeballing the charts need no real
 * benchmark run. Each runtime climbs the same ladder until the ladder's rule stops it.
 * {@code main(dir)} writes one for looking at.
 */
public final class SyntheticRun {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The ladder's rungs as shares of 4,000 req/s: 2,000, 3,200 and 4,800 req/s. */
    static final double[] FRACTIONS = {0.5, 0.8, 1.2};

    static final RateLadder LADDER = RateLadder.of(List.of(2_000.0, 3_200.0, 4_800.0));
    static final int SECONDS = 10;
    static final int SAMPLES = 20_000;
    static final List<String> OPS = List.of(
            "PromiseQuestion.promiseThenChain",
            "MicrotaskQuestion.queueMicrotask",
            "MicrotaskQuestion.nextTick",
            "ImmediateQuestion.setImmediateChain",
            "ImmediateQuestion.setImmediateBatch",
            "TimerQuestion.setTimeoutZeroBatch",
            "PromiseQuestion.awaitValue");

    private SyntheticRun() {}

    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]));
    }

    public static void write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("hlog"));
        Files.createDirectories(dir.resolve("lag"));
        Files.createDirectories(dir.resolve("jfr"));
        Random random = new Random(42);
        ArrayNode results = JSON.createArrayNode();
        for (String load : ResultsDir.LOADS) {
            for (String runtime : ResultsDir.RUNTIMES) {
                double capacity = capacity(load, runtime);
                Climb climb =
                        new Climb(LADDER, new SaturationRule(Loads.named(load).sloP99Millis()));
                for (double fraction : FRACTIONS) {
                    if (climb.done()) {
                        break;
                    }
                    long rate = Math.round(4000 * fraction);
                    String stem = load + "_" + runtime + "_" + rate;
                    double medianUs = medianMicros(load, runtime)
                            / Math.max(0.05, 1 - 0.9 * Math.min(fraction * 4000 / capacity, 1.05));
                    Histogram corrected = histogram(random, medianUs, tail(load, runtime));
                    Histogram uncorrected = histogram(random, medianUs * 0.6, tail(load, runtime) * 0.5);
                    writeLog(dir.resolve("hlog/" + stem + ".hlog"), corrected);
                    writeLog(dir.resolve("hlog/" + stem + ".uncorrected.hlog"), uncorrected);
                    writeLag(dir.resolve("lag/" + stem + ".csv"), random, load, runtime, fraction);
                    ObjectNode point = loadResult(
                            load, runtime, rate, fraction, Math.min(rate, capacity), corrected, uncorrected, random);
                    results.add(point);
                    climb.record(PointOutcome.measured(
                            rate,
                            SECONDS,
                            rate * SECONDS,
                            point.path("primaryMetric").path("score").asDouble(),
                            corrected.getValueAtPercentile(50) / 1e6,
                            corrected.getValueAtPercentile(99) / 1e6));
                }
                results.add(climbResult(load, runtime, climb, capacity));
            }
        }
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve("results.json").toFile(), results);
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve("micro.json").toFile(), micro(random));
        ObjectNode node = JSON.createObjectNode().put("node", "v20.20.2");
        ObjectNode ops = node.putObject("ops");
        Map<String, Double> nodeNs = Map.of(
                "promiseThenChain",
                95.0,
                "queueMicrotask",
                22.0,
                "nextTick",
                28.0,
                "setImmediateChain",
                700.0,
                "setImmediateBatch",
                3500.0,
                "setTimeoutZeroBatch",
                52000.0,
                "awaitValue",
                140.0);
        OPS.forEach(op -> ops.put(op.substring(op.indexOf('.') + 1), nodeNs.get(op.substring(op.indexOf('.') + 1))));
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve("node.json").toFile(), node);
        Files.writeString(dir.resolve("jfr/mixed_loop_3200.jfr"), "not a real recording");
        Files.writeString(
                dir.resolve("jfr-summary.json"), "{\"mixed_loop_3200\": {\"gcPauses\": 3, \"maxPauseMs\": 4.2}}");
        ObjectNode run = JSON.createObjectNode()
                .put("schema", 2)
                .put("profile", "quick")
                .put("started", "2025-06-01T10:00:00Z")
                .put("finished", "2025-06-01T10:14:32Z")
                .put("partial", false);
        run.putNull("partialReason");
        run.putObject("jdk")
                .put("version", "21.0.5")
                .put("vendor", "Eclipse Adoptium")
                .put("vm", "OpenJDK 64-Bit Server VM");
        run.putObject("os").put("name", "Linux").put("arch", "amd64");
        run.putObject("cpu").put("model", "Synthetic CPU @ 3.0GHz").put("cores", 2);
        run.putObject("git").put("commit", "0123456789abcdef").put("dirty", true);
        ObjectNode options = run.putObject("options").put("seconds", SECONDS);
        ObjectNode ladders = options.putObject("ladder");
        ObjectNode slos = options.putObject("sloP99Ms");
        for (String load : ResultsDir.LOADS) {
            LADDER.rates().forEach(ladders.putArray(load)::add);
            slos.put(load, Loads.named(load).sloP99Millis());
        }
        options.putObject("placement")
                .put("cores", 2)
                .put("warning", "this machine has 2 cores for 2 loops + the load generator + the delay backend");
        run.putObject("node").put("version", "v20.20.2");
        ObjectNode capacity = run.putObject("capacity");
        for (String load : List.of("cpu-blocking", "io-heavy")) {
            ObjectNode byRuntime = capacity.putObject(load);
            for (String rt : EventLoops.names()) byRuntime.put(rt, capacity(load, rt));
        }
        ObjectNode harness = run.putObject("harness")
                .put("perRequestNanos", 72.2)
                .put("noopAddedLatencyP50Nanos", 36.0)
                .put("noopAddedLatencyP99Nanos", 39.0);
        harness.putObject("schedule")
                .put("rate", 90000)
                .put("issued", 180716)
                .put("lateStarts", 996)
                .put("startDelayP99Us", 38.7);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("run.json").toFile(), run);
    }

    static double capacity(String load, String runtime) {
        return switch (load + "/" + runtime) {
            case "cpu-blocking/loop" -> 3000;
            case "cpu-blocking/loom" -> 4500;
            case "cpu-blocking/threadpool" -> 4800;
            case "io-heavy/loop" -> 9000;
            case "io-heavy/loom" -> 7000;
            case "io-heavy/threadpool" -> 5000;
            default -> 5000;
        };
    }

    static double medianMicros(String load, String runtime) {
        double base = switch (load) {
            case "cpu-blocking" -> 900;
            case "io-heavy" -> 180;
            default -> 400;
        };
        return base
                * switch (runtime) {
                    case "loop" -> load.equals("cpu-blocking") ? 2.5 : 0.8;
                    case "loom" -> 1.0;
                    default -> load.equals("io-heavy") ? 1.8 : 0.9;
                };
    }

    static double tail(String load, String runtime) {
        return load.equals("cpu-blocking") && runtime.equals("loop") ? 1.1 : runtime.equals("threadpool") ? 0.6 : 0.8;
    }

    static Histogram histogram(Random random, double medianUs, double sigma) {
        Histogram h = new Histogram(3);
        for (int i = 0; i < SAMPLES; i++) {
            double us = medianUs * Math.exp(sigma * random.nextGaussian());
            if (random.nextDouble() < 0.002) {
                us *= 20;
            }
            h.recordValue(Math.max(1, Math.round(us * 1000)));
        }
        return h;
    }

    /** Splits the samples over ten 1-second intervals, as the harness's interval log would. */
    static void writeLog(Path file, Histogram all) throws IOException {
        try (PrintStream ps = new PrintStream(Files.newOutputStream(file))) {
            HistogramLogWriter w = new HistogramLogWriter(ps);
            w.outputLogFormatVersion();
            w.outputStartTime(1_717_236_000_000L);
            w.outputLegend();
            Histogram[] parts = new Histogram[10];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = new Histogram(3);
                parts[i].setStartTimeStamp(1_717_236_000_000L + i * 1000L);
                parts[i].setEndTimeStamp(1_717_236_000_000L + (i + 1) * 1000L);
            }
            int[] n = {0};
            all.recordedValues().forEach(v -> {
                for (long c = 0; c < v.getCountAtValueIteratedTo(); c++) {
                    parts[n[0]++ % parts.length].recordValue(v.getValueIteratedTo());
                }
            });
            for (Histogram p : parts) {
                w.outputIntervalHistogram(p);
            }
        }
    }

    static void writeLag(Path file, Random random, String load, String runtime, double fraction) throws IOException {
        StringBuilder csv = new StringBuilder("t_ms,lag_us\n");
        boolean stalls = load.equals("cpu-blocking") && runtime.equals("loop");
        for (int t = 0; t < 10_000; t += 5) {
            double lag = 40 + 30 * fraction + random.nextDouble() * 40;
            if (stalls && random.nextDouble() < 0.01) {
                lag += 2000 + random.nextDouble() * 8000;
            } else if (random.nextDouble() < 0.002) {
                lag += 800 * random.nextDouble();
            }
            csv.append(t).append(',').append(Math.round(lag)).append('\n');
        }
        Files.writeString(file, csv);
    }

    static ObjectNode loadResult(
            String load,
            String runtime,
            long rate,
            double fraction,
            double throughput,
            Histogram c,
            Histogram u,
            Random random) {
        ObjectNode r = JSON.createObjectNode()
                .put("jmhVersion", "1.37")
                .put("benchmark", "loopbench.bench.load.LatencyUnderLoad.openLoop")
                .put("mode", "ss");
        r.putObject("params").put("runtime", runtime).put("load", load).put("rate", String.valueOf(rate));
        r.put("measurementTime", SECONDS + " s");
        r.set("primaryMetric", metric(throughput * (0.995 + 0.005 * random.nextDouble()), "ops/s"));
        ObjectNode s = r.putObject("secondaryMetrics");
        s.set("latency.p50", metric(c.getValueAtPercentile(50) / 1000.0, "us"));
        s.set("latency.p90", metric(c.getValueAtPercentile(90) / 1000.0, "us"));
        s.set("latency.p99", metric(c.getValueAtPercentile(99) / 1000.0, "us"));
        s.set("latency.p99.9", metric(c.getValueAtPercentile(99.9) / 1000.0, "us"));
        s.set("latency.p99.99", metric(c.getValueAtPercentile(99.99) / 1000.0, "us"));
        s.set("latency.max", metric(c.getMaxValue() / 1000.0, "us"));
        s.set("uncorrected.p50", metric(u.getValueAtPercentile(50) / 1000.0, "us"));
        s.set("uncorrected.p99", metric(u.getValueAtPercentile(99) / 1000.0, "us"));
        s.set("uncorrected.p99.9", metric(u.getValueAtPercentile(99.9) / 1000.0, "us"));
        s.set("uncorrected.max", metric(u.getMaxValue() / 1000.0, "us"));
        s.set("lateStarts", metric(Math.round(fraction > 1 ? 800 * fraction : 10 * fraction), "#"));
        s.set("requests", metric(rate * SECONDS, "#"));
        s.set("cpu.ms", metric(4000 + 3000 * fraction + random.nextInt(500), "ms"));
        s.set("gc.ms", metric(20 + random.nextInt(30), "ms"));
        s.set("threads.peak", metric(runtime.equals("loop") ? 3 : runtime.equals("loom") ? 12 : 64, "#"));
        s.set("lag.p99", metric(120 + 100 * fraction, "us"));
        s.set("lag.max", metric(3000 + 1000 * fraction, "us"));
        // where latency comes from: service time, measured work, busy loops, CPU by process, the model's bound
        s.set("latency.mean", metric(c.getMean() / 1000.0, "us"));
        s.set("service.mean", metric(120, "us"));
        s.set("service.p99", metric(5100, "us"));
        s.set("work.heavy.mean", metric(5400, "us"));
        s.set("work.heavy.p99", metric(5800, "us"));
        s.set("loop.busy.mean", metric(Math.min(100, 100 * fraction), "%"));
        s.set("runtime.cpu.ms", metric(3000 + 2000 * fraction, "ms"));
        s.set("generator.cpu.ms", metric(1000, "ms"));
        // threadpool's io-heavy capacity (5,000) is far under a bound of 12,000; the others are near theirs
        s.set(
                "model.bound",
                metric(load.equals("io-heavy") && runtime.equals("threadpool") ? 12_000 : 10_000, "ops/s"));
        return r;
    }

    /** A runtime's climb as results.json's entry: capacity within the objective, saturation, estimate. */
    static ObjectNode climbResult(String load, String runtime, Climb climb, double estimate) {
        ObjectNode r = JSON.createObjectNode()
                .put("jmhVersion", "1.37")
                .put("benchmark", LoadMetric.CAPACITY_BENCHMARK)
                .put("mode", "ss");
        r.putObject("params")
                .put("runtime", runtime)
                .put("load", load)
                .put(LoadMetric.SLO_PARAM, NumberText.plain(climb.rule().sloP99Millis()))
                .put(LoadMetric.STOP_PARAM, climb.stop());
        r.set("primaryMetric", metric(climb.sloCapacity().orElse(Double.NaN), "ops/s"));
        ObjectNode s = r.putObject("secondaryMetrics");
        s.set(LoadMetric.SATURATION, metric(climb.saturation().orElse(Double.NaN), "ops/s"));
        s.set(LoadMetric.ESTIMATE, metric(estimate, "ops/s"));
        return r;
    }

    static ObjectNode metric(double score, String unit) {
        ObjectNode m = JSON.createObjectNode()
                .put("score", score)
                .put("scoreError", "NaN")
                .put("scoreUnit", unit);
        m.putArray("scoreConfidence").add("NaN").add("NaN");
        m.putArray("rawData").addArray().add(score);
        return m;
    }

    static ArrayNode micro(Random random) {
        ArrayNode a = JSON.createArrayNode();
        Map<String, Double> loopNs = Map.of(
                "promiseThenChain",
                120.0,
                "queueMicrotask",
                25.0,
                "nextTick",
                31.0,
                "setImmediateChain",
                900.0,
                "setImmediateBatch",
                4200.0,
                "setTimeoutZeroBatch",
                21000.0,
                "awaitValue",
                190.0);
        for (String op : OPS) {
            String method = op.substring(op.indexOf('.') + 1);
            for (String rt : ResultsDir.RUNTIMES_THEN_BASELINE) {
                if (rt.equals("baseline") && !method.equals("promiseThenChain") && !method.equals("queueMicrotask")) {
                    continue;
                }
                double factor = switch (rt) {
                    case "loop" -> 1;
                    case "loom" -> 1.8;
                    case "threadpool" -> 3.1;
                    default -> 0.4;
                };
                a.add(microResult(
                        "loopbench.bench.micro." + op,
                        rt,
                        loopNs.get(method) * factor * (0.95 + 0.1 * random.nextDouble())));
            }
        }
        a.add(microResult("loopbench.bench.micro.BaselineQuestion.executorHandoff", null, 2400));
        return a;
    }

    static ObjectNode microResult(String benchmark, String runtime, double ns) {
        ObjectNode r = JSON.createObjectNode()
                .put("jmhVersion", "1.37")
                .put("benchmark", benchmark)
                .put("mode", "avgt");
        ObjectNode params = r.putObject("params");
        if (runtime != null) {
            params.put("runtime", runtime);
        }
        ObjectNode m = r.putObject("primaryMetric")
                .put("score", ns)
                .put("scoreError", ns * 0.03)
                .put("scoreUnit", "ns/op");
        m.putArray("scoreConfidence").add(ns * 0.97).add(ns * 1.03);
        m.putArray("rawData").addArray().add(ns * 0.98).add(ns * 1.01).add(ns * 1.01);
        ObjectNode alloc = r.putObject("secondaryMetrics")
                .putObject("·gc.alloc.rate.norm")
                .put("score", Math.round(ns / 3))
                .put("scoreError", "NaN")
                .put("scoreUnit", "B/op");
        alloc.putArray("scoreConfidence").add("NaN").add("NaN");
        alloc.putArray("rawData").addArray().add(Math.round(ns / 3));
        return r;
    }
}
