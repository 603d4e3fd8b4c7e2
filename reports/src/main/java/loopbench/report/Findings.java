package loopbench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report's summary, written from the numbers: which model has the lowest tail latency
 * under each load and by how much, which keeps up best at the highest rate, and how the
 * runtimes' micro-operation costs compare with each other and with Node.
 */
public final class Findings {
  private Findings() {}

  public static List<String> of(List<LoadGroup> groups, MicroSuite micro) {
    List<String> lines = new ArrayList<>();
    for (LoadGroup g : groups) {
      String p99 = tailLatency(g);
      if (p99 != null) {
        lines.add(p99);
      }
      String thr = throughput(g);
      if (thr != null) {
        lines.add(thr);
      }
    }
    if (micro != null && !micro.ops().isEmpty()) {
      lines.addAll(micro(micro));
    }
    return lines;
  }

  /** "cpu-blocking (at 80% ...): threadpool has the lowest p99 (12.3 ms), 8.1x lower than loop (99.6 ms)". */
  static String tailLatency(LoadGroup g) {
    List<LoadPoint> pts = g.chosen().values().stream().filter(p -> Double.isFinite(p.micros("latency.p99")))
        .sorted(Comparator.comparingDouble(p -> p.micros("latency.p99"))).toList();
    if (pts.size() < 2) {
      return null;
    }
    LoadPoint best = pts.get(0);
    double b = best.micros("latency.p99");
    // At a share of each runtime's own capacity the offered rates differ: name them, or a pool that
    // saturates at 1/50th of the rate reads as the winner.
    boolean ownRates = g.byFraction();
    String others = pts.subList(1, pts.size()).stream()
        .map(p -> NumberText.times(p.micros("latency.p99") / b) + " lower than " + p.runtime()
            + " (" + NumberText.ms(p.micros("latency.p99")) + " ms" + (ownRates ? atRate(p) : "") + ")")
        .collect(Collectors.joining(" and "));
    String line = g.load() + " (" + g.choice() + "): " + best.runtime() + " has the lowest p99 latency ("
        + NumberText.ms(b) + " ms" + (ownRates ? atRate(best) : "") + "), " + others + ".";
    if (!ownRates) {
      return line;
    }
    double lowest = pts.stream().mapToDouble(LoadPoint::rateValue).min().orElseThrow();
    double highest = pts.stream().mapToDouble(LoadPoint::rateValue).max().orElseThrow();
    return lowest > 0 && highest / lowest >= 2
        ? line + " Each runtime ran at that share of its own capacity, so the rates differ up to "
            + NumberText.times(highest / lowest) + "."
        : line;
  }

  private static String atRate(LoadPoint p) {
    return " at " + NumberText.rate(p.rateValue()) + " req/s";
  }

  static String throughput(LoadGroup g) {
    List<LoadPoint> pts = g.highestRate().values().stream().filter(p -> Double.isFinite(p.throughput()))
        .sorted(Comparator.comparingDouble(LoadPoint::throughput).reversed()).toList();
    if (pts.size() < 2) {
      return null;
    }
    LoadPoint best = pts.get(0);
    LoadPoint worst = pts.get(pts.size() - 1);
    if (best.throughput() <= worst.throughput() * 1.05) {
      return g.load() + ": at the highest offered rate all runtimes achieve throughput within 5% of each other ("
          + NumberText.sig(worst.throughput()) + "–" + NumberText.sig(best.throughput()) + " req/s).";
    }
    return g.load() + ": at the highest offered rate " + best.runtime() + " achieves the most throughput ("
        + NumberText.sig(best.throughput()) + " req/s of " + NumberText.rate(best.rateValue()) + " offered), "
        + NumberText.times(best.throughput() / worst.throughput()) + " " + worst.runtime() + "'s "
        + NumberText.sig(worst.throughput()) + " req/s.";
  }

  static List<String> micro(MicroSuite suite) {
    List<String> lines = new ArrayList<>();
    List<String> jvm = suite.jvmRuntimes();
    Map<String, Integer> wins = new LinkedHashMap<>();
    int contested = 0;
    for (MicroSuite.Op op : suite.ops()) {
      List<String> ran = jvm.stream().filter(rt -> Double.isFinite(op.nanos(rt))).toList();
      if (ran.size() >= 2) {
        contested++;
        String fastest = ran.stream().min(Comparator.comparingDouble(op::nanos)).orElseThrow();
        wins.merge(fastest, 1, Integer::sum);
      }
    }
    if (contested > 0) {
      int total = contested;
      lines.add("Micro-benchmarks: fastest runtime per operation: " + wins.entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
          .map(e -> e.getKey() + " on " + e.getValue() + " of " + total)
          .collect(Collectors.joining(", ")) + " operations.");
    }
    if (suite.nodeVersion() != null) {
      List<String> parts = new ArrayList<>();
      for (String rt : jvm) {
        double logSum = 0;
        int n = 0;
        for (MicroSuite.Op op : suite.ops()) {
          double ratio = op.nanos(rt) / op.nodeNanos();
          if (Double.isFinite(ratio) && ratio > 0) {
            logSum += Math.log(ratio);
            n++;
          }
        }
        if (n > 0) {
          double g = Math.exp(logSum / n);
          parts.add(rt + " " + (g >= 1 ? NumberText.times(g) + " slower" : NumberText.times(1 / g) + " faster")
              + " (" + n + " ops)");
        }
      }
      if (!parts.isEmpty()) {
        lines.add("Against Node " + suite.nodeVersion() + " (geometric mean of the ns/op ratios): "
            + String.join(", ", parts) + ".");
      }
    }
    return lines;
  }
}
