package loopbench.bench.load;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import loopbench.schema.JmhEntry;
import loopbench.schema.LoadMetric;
import org.HdrHistogram.Histogram;

/**
 * The figures of one load point, and its entry in results.json: JMH's JSON shape for one
 * single-shot benchmark, primary metric = achieved throughput (ops/s), the latency and resource
 * figures as secondary metrics (names and units as reports/RESULTS-FORMAT.md lists them).
 */
public final class PointResult {
    public static final String BENCHMARK = LoadMetric.BENCHMARK;
    /**
     * The fewest completed requests whose latency percentiles mean anything up to p99.9, the highest
     * the summary and the report print: below it the slowest 0.1% is not one request (issue 19, defect 7).
     */
    public static final long MIN_COMPLETED = 1000;

    /** One secondary metric: name, value, unit. */
    public record Figure(String name, double value, String unit) {}

    public final String load;
    public final String runtime;
    public final String layout;
    public final String arrival;
    public final String backend;
    public final double rate;
    public final double fraction;
    public final double capacity;
    public final double seconds;
    public final double throughput;
    public final long requests;
    public final long errors;
    public final long unfinished;
    public final boolean stalled;
    private final List<Figure> figures = new ArrayList<>();
    /** Requests completed in the point (the latency histogram's count). */
    long completed;
    /** tcp backend: the first connection failure's message, or null (for the progress line; not in results.json). */
    String backendFailure;
    /** What sets the model bound, in words, or null (for the progress line; not in results.json). */
    String boundLimit;

    PointResult(
            String load,
            String runtime,
            String layout,
            String arrival,
            String backend,
            double rate,
            double fraction,
            double capacity,
            double seconds,
            double throughput,
            long requests,
            long errors,
            long unfinished,
            boolean stalled) {
        this.load = load;
        this.runtime = runtime;
        this.layout = layout;
        this.arrival = arrival;
        this.backend = backend;
        this.rate = rate;
        this.fraction = fraction;
        this.capacity = capacity;
        this.seconds = seconds;
        this.throughput = throughput;
        this.requests = requests;
        this.errors = errors;
        this.unfinished = unfinished;
        this.stalled = stalled;
    }

    /** Adds a figure; one that {@link LoadMetric} does not define is refused, so compare always knows its direction. */
    void add(String name, double value, String unit) {
        LoadMetric m = LoadMetric.of(name);
        if (m == null || !m.unit.equals(unit)) {
            throw new IllegalArgumentException("metric " + name + " [" + unit + "] is not defined in LoadMetric");
        }
        figures.add(new Figure(name, value, unit));
    }

    /** Adds {@code prefix.p50} ... from a histogram of nanoseconds, in microseconds (NaN when empty). */
    void addPercentiles(String prefix, Histogram h, double... percentiles) {
        for (double p : percentiles) {
            String name =
                    prefix + ".p" + BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
            add(name, h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0, "us");
        }
        add(prefix + ".max", h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0, "us");
    }

    /** Adds {@code prefix.mean} from a histogram of nanoseconds, in microseconds (NaN when empty). */
    void addMean(String prefix, Histogram h) {
        add(prefix + ".mean", h.getTotalCount() == 0 ? Double.NaN : h.getMean() / 1000.0, "us");
    }

    public List<Figure> figures() {
        return List.copyOf(figures);
    }

    /** A figure's value, NaN when absent. */
    public double figure(String name) {
        for (Figure f : figures) if (f.name.equals(name)) return f.value;
        return Double.NaN;
    }

    /** Why this point's figures do not support its percentiles, or null when they do. */
    public String invalidReason() {
        return completed >= MIN_COMPLETED
                ? null
                : String.format(
                        Locale.ROOT,
                        "%,d requests completed; p99.9 needs at least %,d (a longer point or a higher rate)",
                        completed,
                        MIN_COMPLETED);
    }

    /** The rate parameter as results.json and the file names carry it: whole requests per second. */
    public String rateParam() {
        return rateParam(rate);
    }

    static String rateParam(double rate) {
        return Long.toString(Math.round(rate));
    }

    static String fractionParam(double fraction) {
        return BigDecimal.valueOf(fraction).stripTrailingZeros().toPlainString();
    }

    /** {@code <load>_<runtime>_<rate>}: the stem of this point's hlog, lag and jfr files. */
    public String stem() {
        return load + "_" + runtime + "_" + rateParam();
    }

    /** This point as one element of a JMH JSON result array. */
    public JmhEntry toJmh() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("runtime", runtime);
        params.put("load", load);
        params.put("rate", rateParam());
        if (!Double.isNaN(fraction)) params.put("loadFraction", fractionParam(fraction)); // NaN: a ladder's point
        params.put("layout", layout);
        params.put("arrival", arrival);
        params.put("backend", backend);
        Map<String, JmhEntry.Metric> secondary = new LinkedHashMap<>();
        for (Figure f : figures) secondary.put(f.name, JmhEntry.Metric.single(f.value, f.unit));
        return singleShot(
                BENCHMARK,
                1,
                fractionParam(seconds) + " s",
                params,
                JmhEntry.Metric.single(throughput, LoadMetric.THROUGHPUT.unit),
                secondary,
                invalidReason());
    }

    /** A single-shot JMH entry of this JVM: the harness's results are this shape, a point's or a climb's. */
    static JmhEntry singleShot(
            String benchmark,
            int iterations,
            String measurementTime,
            Map<String, String> params,
            JmhEntry.Metric primary,
            Map<String, JmhEntry.Metric> secondary,
            String invalidReason) {
        return new JmhEntry(
                jmhVersion(),
                benchmark,
                "ss",
                1,
                1,
                ProcessHandle.current().info().command().orElse("java"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"),
                0,
                "single-shot",
                1,
                iterations,
                measurementTime,
                1,
                params,
                primary,
                secondary,
                invalidReason == null,
                invalidReason);
    }

    private static String jmhVersion() {
        try {
            return org.openjdk.jmh.util.Version.getPlainVersion();
        } catch (Throwable t) {
            return "1.37";
        }
    }

    /** One line for the progress output. */
    public String summary() {
        return String.format(
                        Locale.ROOT,
                        "achieved %,.0f/s of %,.0f offered; latency p50 %s p99 %s p99.9 %s max %s "
                                + "(uncorrected p99 %s); lag p99 %s; late starts %,d; errors %,d%s%s",
                        throughput,
                        rate,
                        us(figure("latency.p50")),
                        us(figure("latency.p99")),
                        us(figure("latency.p99.9")),
                        us(figure("latency.max")),
                        us(figure("uncorrected.p99")),
                        us(figure("lag.p99")),
                        (long) figure("lateStarts"),
                        errors,
                        unfinished > 0 ? String.format(Locale.ROOT, "; UNFINISHED %,d", unfinished) : "",
                        stalled ? "; STALLED (no completion while at the in-flight limit)" : "")
                + String.format(
                        Locale.ROOT,
                        "%n    service mean %s p99 %s%s; loops busy %s; model bound %s",
                        us(figure("service.mean")),
                        us(figure("service.p99")),
                        Double.isNaN(figure("work.heavy.mean"))
                                ? ""
                                : " (heavy work " + us(figure("work.heavy.mean")) + ")",
                        Double.isNaN(figure("loop.busy.mean"))
                                ? "-"
                                : String.format(Locale.ROOT, "%.0f%%", figure("loop.busy.mean")),
                        boundLimit == null
                                ? "-"
                                : String.format(Locale.ROOT, "%,.0f/s (%s)", figure("model.bound"), boundLimit))
                + (invalidReason() == null ? "" : "; INVALID: " + invalidReason())
                + (backendFailure == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; BACKEND: %,.0f calls failed, %,.0f connection " + "failures, the first: %s",
                                figure("backend.failedCalls"),
                                figure("backend.connectionFailures"),
                                backendFailure));
    }

    static String us(double micros) {
        if (Double.isNaN(micros)) return "-";
        if (micros >= 10_000) return String.format(Locale.ROOT, "%,.0f ms", micros / 1000);
        if (micros >= 1_000) return String.format(Locale.ROOT, "%.1f ms", micros / 1000);
        return String.format(Locale.ROOT, "%.0f us", micros);
    }
}
