package loopbench.bench.micro;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import loopbench.core.EventLoop;

/**
 * What does a {@code setImmediate} cost? Two shapes, as in Node's anchor:
 * <ul>
 * <li>{@code setImmediateChain}: each immediate schedules the next, so every operation is one
 *     whole loop iteration (poll, check, timers): the cost of going round the loop once;</li>
 * <li>{@code setImmediateBatch}: {@link Micro#N} immediates scheduled at once and run in one check
 *     phase: the per-callback cost of the check phase; {@code setImmediateBatch1M} schedules
 *     {@link Micro#N_1M}, the anchor's size.</li>
 * </ul>
 * The callback is one shared object; the {@code Immediate} handle is not kept, so it is not allocated
 * (the queue holds only the callback; the JIT removes the unused handle).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ImmediateCost {
    @Param({"loop", "loom", "threadpool"})
    public String runtime;

    private EventLoop loop;
    private int ran;
    private int batch;
    private final Runnable chained = new Runnable() {
        @Override
        public void run() {
            if (++ran < Micro.N) loop.setImmediate(this);
        }
    };
    private final Runnable counted = () -> ran++;
    private final Runnable startChain = () -> loop.setImmediate(chained);
    private final Runnable scheduleBatch = () -> {
        for (int i = 0; i < batch; i++) loop.setImmediate(counted);
    };

    @Setup
    public void setUp() {
        loop = Micro.create(runtime);
    }

    @TearDown
    public void tearDown() {
        loop.close();
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N)
    public int setImmediateChain() {
        ran = 0;
        loop.run(startChain);
        Micro.check("setImmediateChain", Micro.N, ran);
        return ran;
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N)
    public int setImmediateBatch() {
        return runBatch(Micro.N);
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N_1M)
    public int setImmediateBatch1M() {
        return runBatch(Micro.N_1M);
    }

    private int runBatch(int n) {
        ran = 0;
        batch = n;
        loop.run(scheduleBatch);
        Micro.check("setImmediateBatch", n, ran);
        return ran;
    }
}
