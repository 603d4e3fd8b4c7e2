package loopbench.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * A run directory whose every figure is drawn from a fixed distribution with a seed: per runtime a
 * ladder of 8 offered rates, whose utilisation is the rate over {@link #PER_INTERVAL} (the loops' busy
 * fraction and the model's bound say so), with results.json figures that are those of their own
 * one-second hlog intervals and lag CSV, and micro results with ten noisy iterations. Two seeds give
 * two runs of "the same code"; a {@code latency} factor of 3 gives a run three times slower, as a
 * regression would.
 */
final class NoisyRun {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> RUNTIMES = List.of("loop", "loom", "threadpool");
    static final int INTERVALS = 8;
    static final int PER_INTERVAL = 2_000;

    private NoisyRun() {}

    /** The ladder's offered rates as shares of {@link #PER_INTERVAL}: its utilisations. */
    static final double[] UTILISATIONS = {0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    /** {@code latency} scales every latency and time per operation; {@code throughput} the achieved rate and the requests. */
    static Path write(Path dir, long seed, double latency, double throughput) throws IOException {
        return write(dir, seed, rho -> latency, latency, throughput);
    }

    /** {@code latencyAt}: the factor on the load points' latencies and lags at each utilisation; {@code microFactor}: on the micro results. */
    static Path write(
            Path dir,
            long seed,
            java.util.function.DoubleUnaryOperator latencyAt,
            double microFactor,
            double throughput)
            throws IOException {
        return write(dir, seed, latencyAt, microFactor, throughput, INTERVALS);
    }

    /** {@code intervals}: one-second intervals per point (a quick point of 1.5 s holds one). */
    static Path write(
            Path dir,
            long seed,
            java.util.function.DoubleUnaryOperator latencyAt,
            double microFactor,
            double throughput,
            int intervals)
            throws IOException {
        Files.createDirectories(dir.resolve("hlog"));
        Files.createDirectories(dir.resolve("lag"));
        Random random = new Random(seed);
        ArrayNode results = JSON.createArrayNode();
        for (String runtime : RUNTIMES) {
            for (double fraction : UTILISATIONS) {
                long rate = Math.round(PER_INTERVAL * fraction);
                double latency = latencyAt.applyAsDouble(fraction);
                String stem = "mixed_" + runtime + "_" + rate;
                Histogram total = new Histogram(3);
                Histogram uncorrected = new Histogram(3);
                try (PrintStream c = new PrintStream(Files.newOutputStream(dir.resolve("hlog/" + stem + ".hlog")));
                        PrintStream u = new PrintStream(
                                Files.newOutputStream(dir.resolve("hlog/" + stem + ".uncorrected.hlog")))) {
                    HistogramLogWriter cw = log(c);
                    HistogramLogWriter uw = log(u);
                    for (int i = 0; i < intervals; i++) {
                        Histogram ci = interval(i);
                        Histogram ui = interval(i);
                        long n = Math.round(rate * throughput * (0.97 + 0.06 * random.nextDouble()));
                        for (long k = 0; k < n; k++) {
                            double us = 800 * latency * Math.exp(0.5 * random.nextGaussian());
                            ci.recordValue(Math.round(us * 1000));
                            ui.recordValue(Math.round(us * 600));
                        }
                        cw.outputIntervalHistogram(ci);
                        uw.outputIntervalHistogram(ui);
                        total.add(ci);
                        uncorrected.add(ui);
                    }
                }
                StringBuilder lag = new StringBuilder("t_ms,lag_us\n");
                Histogram lags = new Histogram(3);
                for (int t = 0; t < intervals * 1000; t += 10) {
                    long us = Math.round(50 * latency * Math.exp(0.4 * random.nextGaussian()));
                    lags.recordValue(us);
                    lag.append(t).append(',').append(us).append('\n');
                }
                Files.writeString(dir.resolve("lag/" + stem + ".csv"), lag);
                results.add(point(runtime, rate, fraction, total, uncorrected, lags, random, throughput, intervals));
            }
        }
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve("results.json").toFile(), results);
        ArrayNode micro = JSON.createArrayNode();
        for (String runtime : RUNTIMES) {
            ObjectNode m = micro.addObject()
                    .put("benchmark", "loopbench.bench.micro.PromiseCost.promiseThenChain")
                    .put("mode", "avgt");
            m.putObject("params").put("runtime", runtime);
            ArrayNode raw = JSON.createArrayNode();
            ArrayNode fork = raw.addArray();
            double sum = 0;
            for (int i = 0; i < 10; i++) {
                double ns = 30 * microFactor * (1 + 0.05 * random.nextGaussian());
                fork.add(ns);
                sum += ns;
            }
            ObjectNode pm = m.putObject("primaryMetric").put("score", sum / 10).put("scoreUnit", "ns/op");
            pm.set("rawData", raw);
        }
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve("micro.json").toFile(), micro);
        return dir;
    }

    private static HistogramLogWriter log(PrintStream out) {
        HistogramLogWriter w = new HistogramLogWriter(out);
        w.outputLogFormatVersion();
        w.outputStartTime(1_800_000_000_000L);
        w.outputLegend();
        return w;
    }

    private static Histogram interval(int i) {
        Histogram h = new Histogram(3);
        h.setStartTimeStamp(1_800_000_000_000L + i * 1000L);
        h.setEndTimeStamp(1_800_000_000_000L + (i + 1) * 1000L);
        return h;
    }

    private static ObjectNode point(
            String runtime,
            long rate,
            double fraction,
            Histogram c,
            Histogram u,
            Histogram lag,
            Random random,
            double throughput,
            int intervals) {
        ObjectNode r = JSON.createObjectNode()
                .put("benchmark", "loopbench.bench.load.LatencyUnderLoad.openLoop")
                .put("mode", "ss");
        r.putObject("params")
                .put("runtime", runtime)
                .put("load", "mixed")
                .put("rate", String.valueOf(rate))
                .put("loadFraction", String.valueOf(fraction));
        r.set("primaryMetric", metric(c.getTotalCount() / (double) intervals, "ops/s"));
        ObjectNode s = r.putObject("secondaryMetrics");
        for (String p : List.of("50", "90", "99", "99.9")) {
            s.set("latency.p" + p, metric(c.getValueAtPercentile(Double.parseDouble(p)) / 1000.0, "us"));
            s.set("uncorrected.p" + p, metric(u.getValueAtPercentile(Double.parseDouble(p)) / 1000.0, "us"));
        }
        s.set("latency.max", metric(c.getMaxValue() / 1000.0, "us"));
        s.set("lag.p50", metric(lag.getValueAtPercentile(50), "us"));
        s.set("lag.p99", metric(lag.getValueAtPercentile(99), "us"));
        s.set("lateStarts", metric(random.nextInt(5), "#"));
        s.set("requests", metric(c.getTotalCount(), "#"));
        s.set("errors", metric(0, "#"));
        s.set("cpu.ms", metric(3000 * throughput + random.nextInt(300), "ms"));
        s.set("loop.busy.mean", metric(100 * fraction * (0.98 + 0.04 * random.nextDouble()), "%"));
        s.set("model.bound", metric(PER_INTERVAL, "ops/s"));
        return r;
    }

    private static ObjectNode metric(double score, String unit) {
        ObjectNode m = JSON.createObjectNode()
                .put("score", score)
                .put("scoreError", "NaN")
                .put("scoreUnit", unit);
        m.putArray("rawData").addArray().add(score);
        return m;
    }
}
