package loopbench.schema;

import static loopbench.schema.Direction.BIGGER_IS_BETTER;
import static loopbench.schema.Direction.NEVER_JUDGED;
import static loopbench.schema.Direction.SMALLER_IS_BETTER;

/**
 * Every metric the micro suite (micro.json) writes, with which way is better: the primary score,
 * whose direction is its JMH mode's, JMH's gc profiler's figures (always on), and the suite's own
 * {@code @AuxCounters}. A name that is not here is shown and never judged, and
 * {@code MicroMetricsTest} (benchmarks) fails when a benchmark declares a counter this list lacks.
 * Totals that grow with the iteration's length or with throughput ({@code gc.count}, {@code gc.time},
 * the allocation rate in MB/sec) are never judged: a faster benchmark allocates faster.
 */
public enum MicroMetric {
    /** JMH's primary metric in the modes that measure time per operation. */
    TIME_PER_OP("score", "avgt|ss|sample", SMALLER_IS_BETTER, "time per operation"),
    /** JMH's primary metric in throughput mode. */
    OPS_PER_TIME("score", "thrpt", BIGGER_IS_BETTER, "operations per unit of time"),
    ALLOC_NORM("gc.alloc.rate.norm", "", SMALLER_IS_BETTER, "bytes allocated per operation"),
    ALLOC_RATE("gc.alloc.rate", "", NEVER_JUDGED, "allocation rate: rises with throughput"),
    GC_COUNT("gc.count", "", NEVER_JUDGED, "a per-iteration total: grows with throughput"),
    GC_TIME("gc.time", "", NEVER_JUDGED, "a per-iteration total: grows with throughput"),
    BYTES_PER_TIMER("bytesPerTimer", "", SMALLER_IS_BETTER, "heap bytes per pending timer"),
    BYTES_PER_PARKED_AWAIT("bytesPerParkedAwait", "", SMALLER_IS_BETTER, "heap bytes per parked await");

    /** The metric's name as JMH writes it, without the profiler's leading {@code ·}. */
    public final String name;
    /** For the primary score: the JMH modes ({@code |}-separated) it stands for; empty for secondary metrics. */
    public final String modes;

    public final Direction direction;
    public final String meaning;

    MicroMetric(String name, String modes, Direction direction, String meaning) {
        this.name = name;
        this.modes = modes;
        this.direction = direction;
        this.meaning = meaning;
    }

    /** The definition of {@code metricName} ({@code score} for the primary) in JMH {@code mode}, or null. */
    public static MicroMetric of(String mode, String metricName) {
        String name = metricName.startsWith("\u00b7") ? metricName.substring(1) : metricName;
        for (MicroMetric m : values()) {
            if (m.name.equals(name) && (m.modes.isEmpty() || ("|" + m.modes + "|").contains("|" + mode + "|"))) {
                return m;
            }
        }
        return null;
    }
}
