package loopbench.bench.load;

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
 * <p>The named loads are in {@link Loads}.
 *
 * @param name           the load's name in results and on the command line ({@code --load})
 * @param description    one line on what the load shows, for {@code --help} and the report
 * @param heavyShare     share of heavy requests, 0..1 (drawn per request from the run's seed)
 * @param heavyCpuMicros CPU work of a heavy request
 * @param lightCpuMicros CPU work of the other requests
 * @param offloadHeavy   heavy CPU work runs via {@code loop.offload} instead of inline on the loop
 * @param offloadLight   the same for light requests
 * @param backendCalls   sequential backend calls per request
 * @param backendDelayMs the delay of each backend call
 */
public record LoadSpec(
        String name,
        String description,
        double heavyShare,
        int heavyCpuMicros,
        int lightCpuMicros,
        boolean offloadHeavy,
        boolean offloadLight,
        int backendCalls,
        int backendDelayMs) {

    public LoadSpec {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException(
                    "a load's name must be lower-case letters, digits and '-' (it is part of file names), was '" + name
                            + "'");
        }
        if (heavyShare < 0 || heavyShare > 1)
            throw new IllegalArgumentException("heavyShare must be in 0..1, was " + heavyShare);
        if (heavyCpuMicros < 0 || lightCpuMicros < 0) throw new IllegalArgumentException("CPU work must be >= 0 us");
        if (backendCalls < 0 || backendDelayMs < 1 && backendCalls > 0) {
            throw new IllegalArgumentException("backend calls need a count >= 0 and a delay >= 1 ms");
        }
    }

    /** Mean CPU work per request in microseconds. */
    public double meanCpuMicros() {
        return heavyShare * heavyCpuMicros + (1 - heavyShare) * lightCpuMicros;
    }

    /**
     * The p99 latency with no queueing at all: the CPU work of the slowest 1% of requests (heavy ones,
     * when at least 1% are heavy) plus the backend calls, in milliseconds. The floor no runtime can beat.
     */
    public double noQueueingP99Millis() {
        return ((heavyShare >= 0.01 ? heavyCpuMicros : lightCpuMicros) / 1000.0) + ioMillis();
    }

    /** How many times the no-queueing p99 the default latency objective allows. */
    public static final int SLO_FACTOR = 10;

    /**
     * The load's default latency objective ({@code bench --slo-p99-ms} overrides it): p99 at most
     * {@link #SLO_FACTOR} times {@link #noQueueingP99Millis}, to two significant digits. A runtime may
     * queue a request behind nine others' worth of work before it misses; beyond that, it is overloaded.
     */
    public double sloP99Millis() {
        double v = SLO_FACTOR * noQueueingP99Millis();
        double scale = Math.pow(10, Math.floor(Math.log10(v)) - 1);
        return Math.round(v / scale) * scale;
    }

    /** Time a request spends waiting for backends when nothing queues, in milliseconds. */
    public int ioMillis() {
        return backendCalls * backendDelayMs;
    }

    /** One line for logs and run.json. */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "%s: %.0f%% heavy (%d us CPU%s), others %d us CPU%s, %d backend call(s) of %d ms",
                name,
                heavyShare * 100,
                heavyCpuMicros,
                offloadHeavy ? " offloaded" : " inline",
                lightCpuMicros,
                offloadLight ? " offloaded" : " inline",
                backendCalls,
                backendDelayMs);
    }
}
