package loopbench.schema;

import static loopbench.schema.Direction.BIGGER_IS_BETTER;
import static loopbench.schema.Direction.NEVER_JUDGED;
import static loopbench.schema.Direction.SMALLER_IS_BETTER;

/**
 * Every metric the load harness writes into a point of results.json, with its unit and which way
 * is better. The harness refuses to write a metric that is not here, so compare never has to guess
 * a direction from a unit. Totals that grow with the work a point did (requests issued, CPU and GC
 * time) are never judged: a run that served more is not worse for it.
 */
public enum LoadMetric {
    THROUGHPUT("score", "ops/s", BIGGER_IS_BETTER, "achieved throughput (the primary metric)"),
    LATENCY("latency.*", "us", SMALLER_IS_BETTER, "latency corrected for coordinated omission, p50 ... max"),
    UNCORRECTED(
            "uncorrected.*", "us", SMALLER_IS_BETTER, "latency from the actual start (queueing included), p50 ... max"),
    LAG("lag.*", "us", SMALLER_IS_BETTER, "loop lag from the lag probe"),
    START_DELAY("startDelay.*", "us", SMALLER_IS_BETTER, "how late the generator issued requests"),
    LATE_STARTS("lateStarts", "#", SMALLER_IS_BETTER, "requests started later than scheduled"),
    REQUESTS("requests", "#", NEVER_JUDGED, "requests issued: follows from the offered rate"),
    ERRORS("errors", "#", SMALLER_IS_BETTER, "requests that failed"),
    UNFINISHED("unfinished", "#", SMALLER_IS_BETTER, "requests still running when the point ended"),
    LIMIT_WAITS("limitWaits", "#", SMALLER_IS_BETTER, "times the generator waited at the in-flight limit"),
    CPU("cpu.ms", "ms", NEVER_JUDGED, "process CPU time: grows with the work done"),
    GENERATOR_CPU("generator.cpu.ms", "ms", NEVER_JUDGED, "the generator thread's CPU time: grows with the work done"),
    GC_TIME("gc.ms", "ms", NEVER_JUDGED, "GC time: grows with the work done"),
    GC_COUNT("gc.count", "#", NEVER_JUDGED, "collections: grow with the work done"),
    THREADS("threads.peak", "#", SMALLER_IS_BETTER, "peak live threads"),
    UNCAUGHT("uncaught", "#", SMALLER_IS_BETTER, "exceptions no callback caught"),
    BACKEND_FAILED_CALLS(
            "backend.failedCalls", "#", SMALLER_IS_BETTER, "tcp backend calls that failed with their connection"),
    BACKEND_CONNECTION_FAILURES(
            "backend.connectionFailures", "#", SMALLER_IS_BETTER, "tcp backend connections that failed"),
    SERVICE(
            "service.*",
            "us",
            SMALLER_IS_BETTER,
            "service time: how long a request's handler held its loop, I/O waits excluded; p50 ... max, mean, stdev"),
    WORK_HEAVY(
            "work.heavy.*",
            "us",
            NEVER_JUDGED,
            "a heavy request's CPU work as measured, beside the load's nominal figure"),
    WORK_LIGHT("work.light.*", "us", NEVER_JUDGED, "the other requests' CPU work as measured"),
    LOOP_BUSY("loop.busy.*", "%", NEVER_JUDGED, "the loops' busy fraction (1 - idle in poll / window), mean and max"),
    RUNTIME_CPU("runtime.cpu.ms", "ms", NEVER_JUDGED, "the measured JVM's CPU time minus the generator thread's"),
    BACKEND_CPU("backend.cpu.ms", "ms", NEVER_JUDGED, "the delay backend process's CPU time during the point"),
    MODEL_BOUND(
            "model.bound",
            "ops/s",
            NEVER_JUDGED,
            "the runtime model's analytical capacity for this point's measured service times");

    /** The JMH benchmark name every load point in results.json carries. */
    public static final String BENCHMARK = "loopbench.bench.load.LatencyUnderLoad.openLoop";

    /**
     * The JMH benchmark name of a ladder's outcome, one entry per load and runtime: primary metric the
     * capacity at the latency objective, secondary {@link #SATURATION} and {@link #ESTIMATE}, all
     * {@code ops/s} and better bigger; parameters {@code sloP99Ms} and {@link #STOP_PARAM}.
     */
    public static final String CAPACITY_BENCHMARK = "loopbench.bench.load.LatencyUnderLoad.sloCapacity";
    /** The offered rate at which a runtime saturated (NaN when it never did). */
    public static final String SATURATION = "saturation";
    /** The closed-loop capacity estimate that set the ladder's reach. */
    public static final String ESTIMATE = "estimate";
    /** Why a climb ended (an outcome, not a setting: compare does not match by it). */
    public static final String STOP_PARAM = "stop";
    /** The latency objective of a climb, p99 in milliseconds. */
    public static final String SLO_PARAM = "sloP99Ms";

    /**
     * The metric's name, or a family {@code prefix.*} whose members are {@code prefix.pNN}, {@code prefix.max},
     * {@code prefix.mean} and {@code prefix.stdev}.
     */
    public final String pattern;

    public final String unit;
    public final Direction direction;
    public final String meaning;

    LoadMetric(String pattern, String unit, Direction direction, String meaning) {
        this.pattern = pattern;
        this.unit = unit;
        this.direction = direction;
        this.meaning = meaning;
    }

    /** The definition of a load-point metric, or null when the harness does not write one of that name. */
    public static LoadMetric of(String name) {
        for (LoadMetric m : values()) {
            if (m.pattern.endsWith(".*")) {
                String prefix = m.pattern.substring(0, m.pattern.length() - 1);
                if (name.startsWith(prefix)
                        && name.substring(prefix.length()).matches("max|mean|stdev|p\\d+(\\.\\d+)?")) {
                    return m;
                }
            } else if (m.pattern.equals(name)) {
                return m;
            }
        }
        return null;
    }
}
