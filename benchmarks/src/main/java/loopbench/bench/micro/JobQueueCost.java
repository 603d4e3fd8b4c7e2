package loopbench.bench.micro;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * What does one job cost on the two job queues that drain after every callback? A callback
 * re-queues itself until it has run {@link Micro#N} times ({@code queueMicrotask(f)} /
 * {@code process.nextTick(f)} inside {@code f}, as Node's anchor does). The callback is one object
 * for the whole run, so anything allocated per operation is the queue's own.
 */
public class JobQueueCost extends PerRuntimeBenchmark {
    private int left;
    private final Runnable microtask = new Runnable() {
        @Override
        public void run() {
            if (--left > 0) loop.queueMicrotask(this);
        }
    };
    private final Runnable tick = new Runnable() {
        @Override
        public void run() {
            if (--left > 0) loop.nextTick(this);
        }
    };
    private final Runnable startMicrotasks = () -> loop.queueMicrotask(microtask);
    private final Runnable startTicks = () -> loop.nextTick(tick);

    @Benchmark
    @OperationsPerInvocation(Micro.N)
    public int queueMicrotask() {
        left = Micro.N;
        loop.run(startMicrotasks);
        Micro.check("queueMicrotask", 0, left);
        return left;
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N)
    public int nextTick() {
        left = Micro.N;
        loop.run(startTicks);
        Micro.check("nextTick", 0, left);
        return left;
    }
}
