package loopbench.bench.micro;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * What does a timer cost from {@code setTimeout(f, 0)} to {@code f} running? {@link Micro#N}
 * timers are scheduled at once and all fire in one timers phase. The delay is coerced to 1 ms as
 * in Node, and that wait is in the figure (about 1 ms / N per operation), as it is in Node's.
 * {@code setTimeoutZeroBatch250k} schedules {@link Micro#N_250K} at once, the anchor's size.
 */
public class TimerCost extends PerRuntimeBenchmark {
    private int fired;
    private int batch;
    private final Runnable counted = () -> fired++;
    private final Runnable scheduleBatch = () -> {
        for (int i = 0; i < batch; i++) loop.setTimeout(counted, 0);
    };

    @Benchmark
    @OperationsPerInvocation(Micro.N)
    public int setTimeoutZeroBatch() {
        return runBatch(Micro.N);
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N_250K)
    public int setTimeoutZeroBatch250k() {
        return runBatch(Micro.N_250K);
    }

    private int runBatch(int n) {
        fired = 0;
        batch = n;
        loop.run(scheduleBatch);
        Micro.check("setTimeoutZeroBatch", n, fired);
        return fired;
    }
}
