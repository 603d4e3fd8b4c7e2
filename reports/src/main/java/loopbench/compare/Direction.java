package loopbench.compare;

import java.util.Locale;
import java.util.Set;

/**
 * Which way is better for a metric, read from its unit (and, for the load harness's latency
 * metrics, its name). Throughput is better bigger; times, latencies, counts ("#") and bytes per
 * operation are better smaller. A unit we cannot place (say an allocation rate in MB/sec, which
 * rises with throughput) is compared but never judged, so it cannot fail a build by accident; so
 * are JMH gc profiler's per-iteration totals ({@code gc.count}, {@code gc.time}), which grow with
 * the iteration's length and with throughput: a faster benchmark that allocates runs more GCs.
 */
public enum Direction {
  BIGGER_IS_BETTER("higher"),
  SMALLER_IS_BETTER("lower"),
  UNKNOWN("?");

  private static final Set<String> TIMES = Set.of("ns", "us", "µs", "ms", "s", "ns/op", "us/op", "µs/op", "ms/op", "s/op", "min/op");
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

  public static Direction of(String metricName, String unit) {
    String u = unit.trim().toLowerCase(Locale.ROOT);
    if (PER_ITERATION_TOTALS.contains(metricName.startsWith("\u00b7") ? metricName.substring(1) : metricName)) {
      return UNKNOWN;
    }
    if (metricName.startsWith("latency.") || metricName.startsWith("uncorrected.") || metricName.startsWith("lag.")) {
      return SMALLER_IS_BETTER;
    }
    if (u.startsWith("ops/")) {
      return BIGGER_IS_BETTER;
    }
    if (TIMES.contains(u) || COUNTS.contains(u)) {
      return SMALLER_IS_BETTER;
    }
    return UNKNOWN;
  }
}
