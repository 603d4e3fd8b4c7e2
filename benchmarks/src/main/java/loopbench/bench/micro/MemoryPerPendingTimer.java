package loopbench.bench.micro;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import loopbench.bench.EveryRuntime;
import loopbench.core.EventLoop;
import loopbench.core.Timeout;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * How many heap bytes does a pending timer hold? {@link #COUNT} one-hour timers are scheduled (and
 * unref'ed, so that {@code run} returns while they are pending), the heap is measured with them
 * pending, then they are cleared. See {@link HeapDelta} for the method.
 *
 * <p>Figures: the secondary metric {@code bytesPerTimer} (unit {@code #}, meaning bytes per pending
 * timer; target: at most 150); the primary metric is the time to schedule one pending timer
 * ({@code setTimeout} + {@code unref}) into a list already holding up to {@link #COUNT}, ns/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class MemoryPerPendingTimer extends EveryRuntime {
    static final int COUNT = 100_000;
    static final double DELAY_MS = 3_600_000;
    private static final Runnable NEVER = () -> {
        throw new IllegalStateException("a pending timer fired during the memory benchmark");
    };

    private EventLoop loop;
    private Timeout[] timers;
    private long before;

    private final Runnable schedule = () -> {
        for (int i = 0; i < COUNT; i++) {
            Timeout t = loop.setTimeout(NEVER, DELAY_MS);
            loop.setRefed(t, false);
            timers[i] = t;
        }
    };
    private final Runnable clearAll = () -> {
        for (int i = 0; i < COUNT; i++) {
            Timeout t = timers[i];
            if (t == null || !t.isPending()) throw new IllegalStateException("timer " + i + " is not pending");
            loop.clearTimeout(t);
        }
        Arrays.fill(timers, null);
    };

    /** The figure: bytes per pending timer. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Bytes {
        public double bytesPerTimer;
        private final HeapDelta delta = new HeapDelta();

        @Setup(Level.Iteration)
        public void startIteration(IterationParams params) {
            bytesPerTimer = 0;
            delta.startIteration(params);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        loop = Micro.create(runtime);
        timers = new Timeout[COUNT];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loop.close();
    }

    @Setup(Level.Invocation)
    public void measureBefore() {
        before = Micro.usedHeapAfterGc();
    }

    @TearDown(Level.Invocation)
    public void measureAfter(Bytes bytes) {
        long after = Micro.usedHeapAfterGc();
        bytes.bytesPerTimer = bytes.delta.record(before, after, COUNT);
        loop.run(clearAll);
    }

    @Benchmark
    @OperationsPerInvocation(COUNT)
    public Timeout pendingTimer() {
        loop.run(schedule);
        return timers[COUNT - 1];
    }
}
