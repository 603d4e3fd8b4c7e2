package loopbench.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One element of a JMH JSON result array ({@code -rf json}): results.json holds one per load
 * point, micro.json one per benchmark and parameter set. Fields JMH writes that no reader needs are
 * kept when present and ignored when unknown, so a newer JMH's files still load. {@code valid} and
 * {@code invalidReason} are not JMH's: the load harness marks a point whose figures do not support
 * its percentiles; both are absent in micro.json and in results written before they existed.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JmhEntry(
        String jmhVersion,
        String benchmark,
        String mode,
        Integer threads,
        Integer forks,
        String jvm,
        List<String> jvmArgs,
        String jdkVersion,
        String vmName,
        String vmVersion,
        Integer warmupIterations,
        String warmupTime,
        Integer warmupBatchSize,
        Integer measurementIterations,
        String measurementTime,
        Integer measurementBatchSize,
        Map<String, String> params,
        Metric primaryMetric,
        Map<String, Metric> secondaryMetrics,
        Boolean valid,
        String invalidReason) {

    /**
     * One metric. JMH writes NaN and infinities as strings ({@code "NaN"}); Jackson reads and writes
     * them the same way. {@code rawData} is per fork, then per iteration.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Metric(
            Double score,
            Double scoreError,
            List<Double> scoreConfidence,
            Map<String, Double> scorePercentiles,
            String scoreUnit,
            List<List<Double>> rawData) {

        /** A single-shot value: no error estimate, every percentile and the one raw sample equal to it. */
        public static Metric single(double value, String unit) {
            Map<String, Double> pct = new java.util.LinkedHashMap<>();
            for (String p :
                    List.of("0.0", "50.0", "90.0", "95.0", "99.0", "99.9", "99.99", "99.999", "99.9999", "100.0")) {
                pct.put(p, value);
            }
            return new Metric(value, Double.NaN, List.of(value, value), pct, unit, List.of(List.of(value)));
        }
    }

    /** Why this entry's figures must not be judged, or null when they may be (absent {@code valid} reads as true). */
    public String whyInvalid() {
        if (!Boolean.FALSE.equals(valid)) return null;
        return invalidReason == null ? "marked invalid" : invalidReason;
    }

    public String param(String name) {
        return params == null ? null : params.get(name);
    }
}
