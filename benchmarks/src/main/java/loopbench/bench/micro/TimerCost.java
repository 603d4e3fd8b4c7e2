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
 * What does a timer cost from {@code setTimeout(f, 0)} to {@code f} running? {@link Micro#N}
 * timers are scheduled at once and all fire in one timers phase. The delay is coerced to 1 ms as
 * in Node, and that wait is in the figure (about 1 ms / N per operation), as it is in Node's.
 * {@code setTimeoutZeroBatch1M} schedules {@link Micro#N_1M} at once, the anchor's size.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class TimerCost {
    @Param({"loop", "loom", "threadpool"})
    public String runtime;

    private EventLoop loop;
    private int fired;
    private int batch;
    private final Runnable counted = () -> fired++;
    private final Runnable scheduleBatch = () -> {
        for (int i = 0; i < batch; i++) loop.setTimeout(counted, 0);
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
    public int setTimeoutZeroBatch() {
        return runBatch(Micro.N);
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N_1M)
    public int setTimeoutZeroBatch1M() {
        return runBatch(Micro.N_1M);
    }

    private int runBatch(int n) {
        fired = 0;
        batch = n;
        loop.run(scheduleBatch);
        Micro.check("setTimeoutZeroBatch", n, fired);
        return fired;
    }
}
