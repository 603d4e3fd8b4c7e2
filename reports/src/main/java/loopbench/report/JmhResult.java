package loopbench.report;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * One entry of a JMH JSON result file: a benchmark method run in one mode with one set of
 * parameters, its primary metric and any secondary metrics (profilers, custom counters).
 * {@code invalidReason} is the load harness's own: why a point's figures do not support its
 * percentiles (too few requests), or null when they do. {@code seconds} is JMH's
 * {@code measurementTime} when it is a number of seconds (a load point's length), else NaN.
 */
public record JmhResult(
        String benchmark,
        String mode,
        Map<String, String> params,
        Metric primary,
        Map<String, Metric> secondary,
        String invalidReason,
        double seconds) {

    public JmhResult(
            String benchmark, String mode, Map<String, String> params, Metric primary, Map<String, Metric> secondary) {
        this(benchmark, mode, params, primary, secondary, null, Double.NaN);
    }

    public String param(String name) {
        return params.get(name);
    }

    /** The benchmark method name: the part after the last dot. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** The simple name of the benchmark class. */
    public String simpleClassName() {
        String cls = benchmark.substring(0, Math.max(0, benchmark.lastIndexOf('.')));
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    /** Parameters as {@code a=1,b=2} in name order; empty when there are none. */
    public String paramsText() {
        return params.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
