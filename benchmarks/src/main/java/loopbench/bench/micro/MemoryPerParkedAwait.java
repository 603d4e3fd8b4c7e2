package loopbench.bench.micro;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import loopbench.bench.Runtimes;
import loopbench.core.EventLoop;
import loopbench.core.Promise;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
import org.openjdk.jmh.infra.IterationParams;

/**
 * How many heap bytes does an async function parked in an await hold? {@link #COUNT} async bodies
 * each await one pending promise (the gate); the heap is measured while all are parked, then the
 * gate is resolved and every body finishes. See {@link HeapDelta} for the method.
 *
 * <ul>
 * <li>{@code loom}: a real {@code loop.await(gate)}: each parked body is a virtual thread whose stack
 *     is on the heap, plus its async-body bookkeeping and the await's reaction (target: at most 2 KB);</li>
 * <li>{@code loop}: the continuation style that runtime asks for: each waiting function is one
 *     continuation object registered with {@code whenSettled} on the gate (its reaction included).</li>
 * </ul>
 * The threadpool runtime is left out: each parked body holds one of its at most 64 platform threads,
 * whose stacks are not on the heap.
 *
 * <p>Figures: the secondary metric {@code bytesPerParkedAwait} (unit {@code #}, meaning bytes); the
 * primary metric is the time to start one async body up to its first await, ns/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
@Runtimes(Runtimes.Which.AWAIT_ON_HEAP)
public class MemoryPerParkedAwait {
    static final int COUNT = 10_000;

    /** Filled at launch by {@link loopbench.bench.JmhMain}: the runtimes whose waiting body is on the heap. */
    @Param(Runtimes.FILLED)
    public String runtime;

    private EventLoop loop;
    private Promise.Resolvers<Object> gate;
    private int parked;
    private int resumed;
    private long before;

    private final Callable<Object> awaitingBody = () -> {
        parked++;
        loop.await(gate.promise());
        resumed++;
        return null;
    };

    /** On the loop runtime: the rest of the async function, as a continuation object. */
    private final class Continuation implements Promise.Settlement {
        @Override
        public void settled(Object value, boolean rejected) {
            resumed++;
        }
    }

    private final Runnable park = () -> {
        gate = loop.deferred();
        if (loop.canAwait()) {
            for (int i = 0; i < COUNT; i++) loop.async(awaitingBody);
        } else {
            for (int i = 0; i < COUNT; i++) {
                gate.promise().whenSettled(new Continuation());
                parked++;
            }
        }
    };
    private final Runnable resume = () -> gate.resolve(null);

    /** The figure: bytes per parked await. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Bytes {
        public double bytesPerParkedAwait;
        private final HeapDelta delta = new HeapDelta();

        @Setup(Level.Iteration)
        public void startIteration(IterationParams params) {
            bytesPerParkedAwait = 0;
            delta.startIteration(params);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        loop = Micro.create(runtime);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loop.close();
    }

    @Setup(Level.Invocation)
    public void measureBefore() {
        parked = 0;
        resumed = 0;
        before = Micro.usedHeapAfterGc();
    }

    @TearDown(Level.Invocation)
    public void measureAfter(Bytes bytes) {
        long after = Micro.usedHeapAfterGc();
        Micro.check("parked awaits", COUNT, parked);
        Micro.check("resumed before the gate opened", 0, resumed);
        bytes.bytesPerParkedAwait = bytes.delta.record(before, after, COUNT);
        loop.run(resume);
        Micro.check("resumed awaits", COUNT, resumed);
        gate = null;
    }

    @Benchmark
    @OperationsPerInvocation(COUNT)
    public int parkedAwait() {
        loop.run(park);
        return parked;
    }
}
