package loopbench.schema;

import java.util.Locale;
import java.util.Set;

/**
 * Which way is better for a metric. For the load harness's points it is {@link LoadMetric}'s,
 * stated per metric. For JMH benchmarks (the micro suite) it is read from the unit: throughput
 * ({@code ops/...}) is better bigger; times, counts ({@code #}) and bytes per operation are better
 * smaller. A unit we cannot place (say an allocation rate in MB/sec, which rises with throughput)
 * is compared but never judged, so it cannot fail a build by accident; so are JMH gc profiler's
 * per-iteration totals ({@code gc.count}, {@code gc.time}), which grow with the iteration's length
 * and with throughput: a faster benchmark that allocates runs more GCs.
 */
public enum Direction {
    BIGGER_IS_BETTER("higher"),
    SMALLER_IS_BETTER("lower"),
    /** Shown, never judged. */
    UNKNOWN("?");

    private static final Set<String> TIMES =
            Set.of("ns", "us", "µs", "ms", "s", "ns/op", "us/op", "µs/op", "ms/op", "s/op", "min/op");
    private static final Set<String> COUNTS = Set.of("#", "#/op", "counts", "count", "b/op", "b", "bytes");
    private static final Set<String> PER_ITERATION_TOTALS = Set.of("gc.count", "gc.time");

    private final String better;

    Direction(String better) {
        this.better = better;
    }

    /** "higher", "lower" or "?": which values are better, for tables. */
    public String better() {
        return better;
    }

    /** {@code metricName} is {@code score} for the primary metric. */
    public static Direction of(String benchmark, String metricName, String unit) {
        if (LoadMetric.BENCHMARK.equals(benchmark)) {
            LoadMetric m = LoadMetric.of(metricName);
            return m == null ? UNKNOWN : m.direction;
        }
        String u = unit.trim().toLowerCase(Locale.ROOT);
        if (PER_ITERATION_TOTALS.contains(metricName.startsWith("\u00b7") ? metricName.substring(1) : metricName)) {
            return UNKNOWN;
        }
        if (u.startsWith("ops/")) {
            return BIGGER_IS_BETTER;
        }
        if (TIMES.contains(u) || COUNTS.contains(u)) {
            return SMALLER_IS_BETTER;
        }
        return UNKNOWN;
    }

    /** Why a metric {@link #of} finds {@link #UNKNOWN} is not judged, for the table's note column. */
    public static String whyNotJudged(String benchmark, String metricName, String unit) {
        if (LoadMetric.BENCHMARK.equals(benchmark)) {
            LoadMetric m = LoadMetric.of(metricName);
            return m == null ? "not a load metric the schema defines" : m.meaning;
        }
        return PER_ITERATION_TOTALS.contains(metricName.startsWith("\u00b7") ? metricName.substring(1) : metricName)
                ? "a per-iteration total: grows with throughput"
                : "unit " + unit + ": no better direction";
    }
}
