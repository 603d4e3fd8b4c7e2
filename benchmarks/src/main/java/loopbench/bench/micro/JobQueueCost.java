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
 * What does one job cost on the two job queues that drain after every callback? A callback
 * re-queues itself until it has run {@link Micro#N} times ({@code queueMicrotask(f)} /
 * {@code process.nextTick(f)} inside {@code f}, as Node's anchor does). The callback is one object
 * for the whole run, so anything allocated per operation is the queue's own.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class JobQueueCost {
    @Param({"loop", "loom", "threadpool"})
    public String runtime;

    private EventLoop loop;
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
