package loopbench.bench.load;

import java.util.List;
import java.util.Locale;

/**
 * The registry of named loads, in report order: the only place a load is defined. The harness,
 * {@code loopbench bench}, the report and compare ask it. Adding a load is one entry in {@link #ALL}.
 *
 * <p>Each load's latency objective, by which the ladder judges a runtime overloaded and its capacity
 * is measured, is {@link LoadSpec#sloP99Millis}: ten times the p99 it would have with no queueing.
 * cpu-blocking: p99 50 ms (a heavy request's 5 ms); io-heavy: 150 ms (three 5 ms calls); mixed:
 * 120 ms (2 ms of offloaded work and two 5 ms calls). {@code bench --slo-p99-ms} overrides it.
 */
public final class Loads {
    private Loads() {}

    /** 2% of requests burn 5 ms of CPU inline on the loop, the rest 20 us; no I/O. */
    public static final LoadSpec CPU_BLOCKING = new LoadSpec(
            "cpu-blocking",
            "a heavy request holds its loop for 5 ms, and every request queued behind it waits",
            0.02,
            5_000,
            20,
            false,
            false,
            0,
            1);

    /** 10 us of CPU, then 3 sequential backend calls of 5 ms. */
    public static final LoadSpec IO_HEAVY = new LoadSpec(
            "io-heavy",
            "little CPU and three backend calls per request: thousands of requests in flight",
            0.0,
            10,
            10,
            false,
            false,
            3,
            5);

    /**
     * 10% of requests do 2 ms of CPU offloaded ({@code loop.offload}), the rest 50 us inline; all then
     * make 2 backend calls of 5 ms.
     */
    public static final LoadSpec MIXED = new LoadSpec(
            "mixed",
            "where each runtime runs offloaded CPU work: libuv-style workers, virtual threads sharing the carriers, or the bounded pool",
            0.10,
            2_000,
            50,
            true,
            false,
            2,
            5);

    private static final List<LoadSpec> ALL = List.of(CPU_BLOCKING, IO_HEAVY, MIXED);

    /** Every named load, in report order. */
    public static List<LoadSpec> all() {
        return ALL;
    }

    /** Their names, in report order. */
    public static List<String> names() {
        return ALL.stream().map(LoadSpec::name).toList();
    }

    /** The names of the loads that make backend calls (the ones {@code --backend} matters to), in report order. */
    public static List<String> namesWithBackendCalls() {
        return ALL.stream()
                .filter(l -> l.backendCalls() > 0)
                .map(LoadSpec::name)
                .toList();
    }

    /** The load named {@code name} (any case); an unknown name is refused with the known ones. */
    public static LoadSpec named(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (LoadSpec s : ALL) if (s.name().equals(wanted)) return s;
        throw new IllegalArgumentException("unknown load '" + name + "': known are " + String.join(", ", names()));
    }
}
