package loopbench.bench.load;

import java.util.List;
import java.util.Locale;

/**
 * What one request of a named load does, written once for every runtime (see {@link RequestHandler}):
 * some CPU work (calibrated busy work, inline on the loop or offloaded), then {@code backendCalls}
 * sequential backend calls of {@code backendDelayMs} each. How a backend call is made is the run's
 * choice, not the load's ({@link loopbench.bench.backend.BackendConfig}, {@code --backend}): a frame
 * over loopback TCP to a {@link loopbench.bench.backend.DelayBackend} that answers after the delay
 * ({@code tcp}), or a {@code setTimeout} ({@code simulated}).
 * A share of the requests is heavy and does {@code heavyCpuMicros} instead of {@code lightCpuMicros}.
 *
 * @param name           the load's name in results ({@code cpu-blocking}, {@code io-heavy}, {@code mixed})
 * @param heavyShare     share of heavy requests, 0..1 (drawn per request from the run's seed)
 * @param heavyCpuMicros CPU work of a heavy request
 * @param lightCpuMicros CPU work of the other requests
 * @param offloadHeavy   heavy CPU work runs via {@code loop.offload} instead of inline on the loop
 * @param offloadLight   the same for light requests
 * @param backendCalls   sequential backend calls per request
 * @param backendDelayMs the delay of each backend call
 */
public record LoadSpec(String name, double heavyShare, int heavyCpuMicros, int lightCpuMicros, boolean offloadHeavy,
                       boolean offloadLight, int backendCalls, int backendDelayMs) {

    /** The named loads, in report order. */
    public static final List<String> NAMES = List.of("cpu-blocking", "io-heavy", "mixed");

    public LoadSpec {
        if (heavyShare < 0 || heavyShare > 1) throw new IllegalArgumentException("heavyShare must be in 0..1, was " + heavyShare);
        if (heavyCpuMicros < 0 || lightCpuMicros < 0) throw new IllegalArgumentException("CPU work must be >= 0 us");
        if (backendCalls < 0 || backendDelayMs < 1 && backendCalls > 0) {
            throw new IllegalArgumentException("backend calls need a count >= 0 and a delay >= 1 ms");
        }
    }

    /**
     * {@code cpu-blocking}: 2% of requests burn 5 ms of CPU inline on the loop, the rest 20 us; no I/O.
     * A heavy request holds its loop for 5 ms, and every request queued behind it waits.
     */
    public static final LoadSpec CPU_BLOCKING = new LoadSpec("cpu-blocking", 0.02, 5_000, 20, false, false, 0, 1);

    /** {@code io-heavy}: 10 us of CPU, then 3 sequential backend calls of 5 ms: thousands of requests in flight. */
    public static final LoadSpec IO_HEAVY = new LoadSpec("io-heavy", 0.0, 10, 10, false, false, 3, 5);

    /**
     * {@code mixed}: 10% of requests do 2 ms of CPU offloaded ({@code loop.offload}), the rest 50 us inline;
     * all then make 2 backend calls of 5 ms. Shows where each runtime runs offloaded CPU work: libuv-style
     * workers (loop), virtual threads sharing the loop's carriers (loom), or the bounded pool (threadpool).
     */
    public static final LoadSpec MIXED = new LoadSpec("mixed", 0.10, 2_000, 50, true, false, 2, 5);

    public static LoadSpec named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cpu-blocking" -> CPU_BLOCKING;
            case "io-heavy" -> IO_HEAVY;
            case "mixed" -> MIXED;
            default -> throw new IllegalArgumentException("unknown load '" + name + "': known are " + String.join(", ", NAMES));
        };
    }

    /** Mean CPU work per request in microseconds. */
    public double meanCpuMicros() {
        return heavyShare * heavyCpuMicros + (1 - heavyShare) * lightCpuMicros;
    }

    /** Time a request spends waiting for backends when nothing queues, in milliseconds. */
    public int ioMillis() {
        return backendCalls * backendDelayMs;
    }

    /** One line for logs and run.json. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %.0f%% heavy (%d us CPU%s), others %d us CPU%s, %d backend call(s) of %d ms",
                name, heavyShare * 100, heavyCpuMicros, offloadHeavy ? " offloaded" : " inline", lightCpuMicros,
                offloadLight ? " offloaded" : " inline", backendCalls, backendDelayMs);
    }
}
