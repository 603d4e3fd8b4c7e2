package loopbench.schema;

/**
 * Which way is better for a metric, as its definition states it: {@link LoadMetric} for the load
 * harness's points, {@link MicroMetric} for JMH results. Nothing is read from a unit: a metric
 * without a definition is {@link #UNDEFINED}, shown and never judged, so it cannot fail a build by
 * accident, and the tests that walk what the harness and the micro suite write fail until it gets one.
 */
public enum Direction {
    BIGGER_IS_BETTER("higher"),
    SMALLER_IS_BETTER("lower"),
    /** Defined, and deliberately never judged (work done, totals that grow with throughput). */
    NEVER_JUDGED("never"),
    /** No definition: shown, never judged. */
    UNDEFINED("?");

    private final String better;

    Direction(String better) {
        this.better = better;
    }

    /** "higher", "lower", "never" or "?": which values are better, for tables. */
    public String better() {
        return better;
    }

    public boolean judged() {
        return this == BIGGER_IS_BETTER || this == SMALLER_IS_BETTER;
    }

    /** {@code metricName} is {@code score} for the primary metric; {@code mode} is JMH's. */
    public static Direction of(String benchmark, String mode, String metricName) {
        if (LoadMetric.CAPACITY_BENCHMARK.equals(benchmark)) {
            return BIGGER_IS_BETTER; // a ladder's outcome: capacity, saturation and estimate, all req/s
        }
        if (LoadMetric.BENCHMARK.equals(benchmark)) {
            LoadMetric m = LoadMetric.of(metricName);
            return m == null ? UNDEFINED : m.direction;
        }
        MicroMetric m = MicroMetric.of(mode, metricName);
        return m == null ? UNDEFINED : m.direction;
    }

    /** Why a metric that {@link #of} does not judge is not judged, for the table's note column. */
    public static String whyNotJudged(String benchmark, String mode, String metricName) {
        if (LoadMetric.BENCHMARK.equals(benchmark)) {
            LoadMetric m = LoadMetric.of(metricName);
            return m == null ? "no direction defined (not in LoadMetric)" : m.meaning;
        }
        MicroMetric m = MicroMetric.of(mode, metricName);
        return m == null ? "no direction defined (not in MicroMetric)" : m.meaning;
    }
}
