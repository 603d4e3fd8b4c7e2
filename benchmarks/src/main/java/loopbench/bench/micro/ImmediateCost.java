package loopbench.bench.micro;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * What does a {@code setImmediate} cost? Two shapes, as in Node's anchor:
 * <ul>
 * <li>{@code setImmediateChain}: each immediate schedules the next, so every operation is one
 *     whole loop iteration (poll, check, timers): the cost of going round the loop once;</li>
 * <li>{@code setImmediateBatch}: {@link Micro#N} immediates scheduled at once and run in one check
 *     phase: the per-callback cost of the check phase; {@code setImmediateBatch250k} schedules
 *     {@link Micro#N_250K}, the anchor's size.</li>
 * </ul>
 * The callback is one shared object; the {@code Immediate} handle is not kept, so it is not allocated
 * (the queue holds only the callback; the JIT removes the unused handle).
 */
public class ImmediateCost extends PerRuntimeBenchmark {
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
    @OperationsPerInvocation(Micro.N_250K)
    public int setImmediateBatch250k() {
        return runBatch(Micro.N_250K);
    }

    private int runBatch(int n) {
        ran = 0;
        batch = n;
        loop.run(scheduleBatch);
        Micro.check("setImmediateBatch", n, ran);
        return ran;
    }
}
