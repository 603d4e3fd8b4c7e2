package loopbench.bench.load;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import loopbench.bench.EveryRuntime;
import loopbench.bench.Runtimes;
import loopbench.bench.backend.BackendConfig;
import loopbench.bench.backend.DelayBackend;
import loopbench.schema.RunFiles;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The open-loop load harness as a JMH benchmark, so that it lives in the same jar and runs under
 * JMH's fork control: one single-shot measurement per point, whose duration is the run.
 *
 * <pre>
 * java -Dloopbench.out=RUN_DIR -jar benchmarks/target/benchmarks.jar LatencyUnderLoad -p runtime=loom -p load=io-heavy \
 *      -p loadFraction=0.5 -p backend=tcp -prof loopbench.bench.load.LoadMetricsProfiler -rf json
 * </pre>
 *
 * <p>The {@code -D} options go before {@code -jar}: after it they are JMH's arguments, which JMH
 * refuses; JMH hands the JVM's own options on to the benchmark's fork, where they are read.
 *
 * <p>What JMH itself can express is limited: a single-shot benchmark's primary metric is its time,
 * and the figures a load point needs (latency percentiles in microseconds, late starts, loop lag...)
 * are not JMH measurements. So the canonical results come from the harness ({@link LoadRun}), which
 * writes results.json entries in JMH's JSON shape with achieved throughput as the primary metric and
 * the figures as secondary metrics (reports/RESULTS-FORMAT.md); {@code ./loopbench bench} runs it
 * through {@link LoadRunner} in forked JVMs. This wrapper runs the very same {@link LoadRun}:
 * <ul>
 * <li>with {@code -Dloopbench.out=RUN_DIR} it writes the same RUN_DIR files (hlog, lag, jfr,
 *     points) and re-assembles RUN_DIR/results.json after each point;</li>
 * <li>with {@code -prof loopbench.bench.load.LoadMetricsProfiler} JMH's own JSON gets the figures
 *     as secondary metrics (same names and units), next to JMH's primary (the run's wall time).</li>
 * </ul>
 * The capacity is estimated once per fork in the trial setup (closed loop), or taken from
 * {@code -Dloopbench.capacity=N}; the offered rate is {@code loadFraction x capacity}.
 *
 * <p>{@code backend}: {@code tcp} (backend calls are frames to a {@link DelayBackend} that the trial
 * starts in the benchmark's JVM on an ephemeral loopback port, one selector thread, and stops at its
 * end) or {@code simulated} (a timer per call); {@code -Dloopbench.backend=HOST:PORT} uses a delay
 * backend that already runs instead. Loads without backend calls ignore it.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class LatencyUnderLoad extends EveryRuntime {

    /** Filled at launch by {@link loopbench.bench.JmhMain} with {@link Loads#names()}. */
    @Param(Runtimes.FILLED)
    public String load;

    @Param({"0.5", "0.9"})
    public double loadFraction;

    /** Length of the point in seconds (the single shot); {@code -Dloopbench.seconds} overrides it. */
    @Param({"5"})
    public double seconds;

    @Param({"per-core"})
    public String layout;

    /**
     * Where backend calls go: {@code tcp} (a delay backend over loopback TCP; the default, as in {@code bench})
     * or {@code simulated} (a timer per call: {@code -p backend=simulated}, or {@code -p backend=tcp,simulated} for both).
     */
    @Param({"tcp"})
    public String backend;

    /** The last point's result, for {@link LoadMetricsProfiler} (same JVM, read after the iteration). */
    static volatile PointResult last;

    private LoadSpec spec;
    private double capacity;
    private double rate;
    private BackendConfig backendConfig;
    private DelayBackend startedBackend;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        spec = Loads.named(load);
        Layout l = Layout.parse(layout);
        int loops = Runtime.getRuntime().availableProcessors();
        String external = System.getProperty("loopbench.backend");
        backendConfig = BackendConfig.parse(
                        backend.equals(BackendConfig.TCP_MODE) && external != null ? external : backend,
                        BackendConfig.DEFAULT_CONNECTIONS_PER_LOOP)
                .forCalls(spec.backendCalls());
        if (backendConfig.needsBackendStarted()) {
            startedBackend = new DelayBackend(0, 1, DelayBackend.DEFAULT_MAX_RESPONSE_BYTES, 16_384);
            backendConfig = backendConfig.at(startedBackend.port());
        }
        String given = System.getProperty("loopbench.capacity");
        if (given != null) {
            capacity = Double.parseDouble(given);
        } else {
            capacity = CapacityEstimator.round3(
                    CapacityEstimator.estimate(runtime, spec, l, loops, 0, 0.3, 10_000, 42, backendConfig)
                            .capacity());
        }
        if (!(capacity > 0)) throw new IllegalStateException("capacity estimate is " + capacity);
        rate = Math.max(1, Math.round(capacity * loadFraction));
        LoadRun.run(config(Math.min(2, runLength()), null)); // warm-up, discarded
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (startedBackend != null) startedBackend.close();
        startedBackend = null;
    }

    @Benchmark
    public PointResult openLoop() throws Exception {
        String dir = System.getProperty("loopbench.out");
        Path out = dir == null ? null : Path.of(dir);
        PointResult r = LoadRun.run(config(runLength(), out));
        last = r;
        if (out != null) RunFiles.assemble(out, System.err::println);
        return r;
    }

    private double runLength() {
        String s = System.getProperty("loopbench.seconds");
        return s != null ? Double.parseDouble(s) : seconds;
    }

    private LoadRun.Config config(double secs, Path out) {
        LoadRun.Config c = LoadRun.Config.of(runtime, spec, rate, loadFraction, capacity, secs)
                .withLayout(Layout.parse(layout))
                .withLimits(10_000, NanoClock.autoSpinNanos(), 1_000_000, Math.min(10, Math.max(2, secs)))
                .withBackend(backendConfig);
        return out == null ? c : c.withOutput(out, !Boolean.getBoolean("loopbench.noJfr"), 1.0);
    }
}
