package loopbench.report;

import java.util.Locale;
import loopbench.bench.ladder.PointOutcome;

/**
 * One point of the load test: a runtime under one load at one offered rate, with the JMH result
 * that the load harness wrote for it (achieved throughput plus latency and resource metrics).
 */
public record LoadPoint(
        String load, String runtime, String rate, double rateValue, double loadFraction, JmhResult result) {

    public static LoadPoint of(JmhResult r) {
        String rate = r.params().getOrDefault("rate", "");
        return new LoadPoint(r.param("load"), r.param("runtime"), rate, parse(rate), parse(r.param("loadFraction")), r);
    }

    /** The name the harness gives this point's hlog, lag and jfr files: {@code <load>_<runtime>_<rate>}. */
    public String fileStem() {
        return load + "_" + runtime + "_" + rate;
    }

    /** Achieved throughput in operations per second, NaN when the unit is not a throughput unit. */
    public double throughput() {
        Metric m = result.primary();
        double perSecond = switch (m.unit()) {
            case "ops/s" -> 1;
            case "ops/ms" -> 1e3;
            case "ops/us" -> 1e6;
            case "ops/ns" -> 1e9;
            default -> Double.NaN;
        };
        return m.score() * perSecond;
    }

    /**
     * What the ladder's rule needs of this point, as the harness judged it while climbing
     * ({@link PointOutcome#measured}); a point that lacks its length or request count (older files)
     * is judged against its nominal rate.
     */
    public PointOutcome outcome() {
        double issued = value("requests");
        double p99 = micros("latency.p99") / 1000;
        if (!(result.seconds() > 0) || !(issued > 0)) {
            return new PointOutcome(rateValue, throughput() / rateValue, p99);
        }
        return PointOutcome.measured(
                rateValue, result.seconds(), issued, throughput(), micros("latency.p50") / 1000, p99);
    }

    /** A secondary metric converted to microseconds; NaN when absent or not a time. */
    public double micros(String metric) {
        Metric m = result.secondary().get(metric);
        return m == null ? Double.NaN : m.score() * microsPer(m.unit());
    }

    /** A secondary metric's score in its own unit; NaN when absent. */
    public double value(String metric) {
        Metric m = result.secondary().get(metric);
        return m == null ? Double.NaN : m.score();
    }

    static double microsPer(String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "ns", "ns/op" -> 1e-3;
            case "us", "µs", "us/op" -> 1;
            case "ms", "ms/op" -> 1e3;
            case "s", "s/op" -> 1e6;
            default -> Double.NaN;
        };
    }

    private static double parse(String s) {
        if (s == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
