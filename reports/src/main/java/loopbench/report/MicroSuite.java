package loopbench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The micro suite arranged by operation: for each benchmark method, its time per operation on
 * each runtime (a missing "runtime" parameter means the plain-Java baseline) and Node's time
 * for the same operation when node.json has it.
 */
public final class MicroSuite {
    public static final String BASELINE = "baseline";

    /** One operation: results per runtime and Node's ns/op (NaN when unknown). */
    public record Op(String name, Map<String, JmhResult> byRuntime, double nodeNanos) {
        public double nanos(String runtime) {
            JmhResult r = byRuntime.get(runtime);
            return r == null
                    ? Double.NaN
                    : MicroSuite.nanos(r.primary().score(), r.primary().unit());
        }

        public double errorNanos(String runtime) {
            JmhResult r = byRuntime.get(runtime);
            return r == null
                    ? Double.NaN
                    : MicroSuite.nanos(r.primary().error(), r.primary().unit());
        }

        /** Bytes allocated per operation from JMH's gc profiler, NaN when it did not run. */
        public double allocBytes(String runtime) {
            JmhResult r = byRuntime.get(runtime);
            if (r == null) {
                return Double.NaN;
            }
            return r.secondary().entrySet().stream()
                    .filter(e -> e.getKey().endsWith("gc.alloc.rate.norm"))
                    .mapToDouble(e -> e.getValue().score())
                    .findFirst()
                    .orElse(Double.NaN);
        }
    }

    private final List<Op> ops;
    private final List<String> runtimes;
    private final String nodeVersion;

    private MicroSuite(List<Op> ops, List<String> runtimes, String nodeVersion) {
        this.ops = ops;
        this.runtimes = runtimes;
        this.nodeVersion = nodeVersion;
    }

    public static MicroSuite of(List<JmhResult> micro, NodeBaseline node) {
        // A baseline-only benchmark (no runtime parameter, e.g. ArrayDequeFloor.queueMicrotask) joins the
        // row of the operation it is the floor for; other methods sharing a name are told apart by class.
        Map<String, Long> perMethod = micro.stream()
                .filter(r -> r.params().containsKey("runtime"))
                .map(JmhResult::benchmark)
                .distinct()
                .collect(Collectors.groupingBy(b -> b.substring(b.lastIndexOf('.') + 1), Collectors.counting()));
        Map<String, Map<String, JmhResult>> byOp = new LinkedHashMap<>();
        Set<String> runtimes = new LinkedHashSet<>();
        micro.stream().sorted(Comparator.comparing(JmhResult::benchmark)).forEach(r -> {
            String name =
                    perMethod.getOrDefault(r.method(), 0L) > 1 ? r.simpleClassName() + "." + r.method() : r.method();
            String rt = r.params().getOrDefault("runtime", BASELINE);
            runtimes.add(rt);
            byOp.computeIfAbsent(name, k -> new LinkedHashMap<>()).putIfAbsent(rt, r);
        });
        List<Op> ops = new ArrayList<>();
        byOp.forEach((name, results) -> {
            String method = name.substring(name.lastIndexOf('.') + 1);
            Double n = node == null ? null : node.nanosPerOp().get(method);
            ops.add(new Op(name, results, n == null ? Double.NaN : n));
        });
        // baseline-only benchmarks have nothing to be compared with: after the others
        ops.sort(Comparator.comparing(op -> op.byRuntime().keySet().equals(Set.of(BASELINE))));
        List<String> ordered = runtimes.stream()
                .sorted(Comparator.comparing(rt -> LoadGroup.order(ResultsDir.RUNTIMES_THEN_BASELINE, rt)))
                .toList();
        return new MicroSuite(ops, ordered, node == null ? null : node.version());
    }

    public List<Op> ops() {
        return ops;
    }

    /** Runtimes that appear in the suite, in the order loop, loom, threadpool, baseline, others. */
    public List<String> runtimes() {
        return runtimes;
    }

    /** The runtimes that are event-loop implementations, i.e. not the baseline. */
    public List<String> jvmRuntimes() {
        return runtimes.stream().filter(rt -> !rt.equals(BASELINE)).toList();
    }

    /** Node's version when node.json was read, else null. */
    public String nodeVersion() {
        return nodeVersion;
    }

    /** A time per operation (or an ops-per-time throughput) converted to ns/op; NaN for other units. */
    public static double nanos(double v, String unit) {
        return switch (unit) {
            case "ns/op" -> v;
            case "us/op" -> v * 1e3;
            case "ms/op" -> v * 1e6;
            case "s/op" -> v * 1e9;
            case "ops/ns" -> 1 / v;
            case "ops/us" -> 1e3 / v;
            case "ops/ms" -> 1e6 / v;
            case "ops/s" -> 1e9 / v;
            default -> Double.NaN;
        };
    }
}
