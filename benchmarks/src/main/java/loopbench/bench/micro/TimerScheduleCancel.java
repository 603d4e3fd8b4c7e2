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
import loopbench.core.Timeout;

/**
 * What does a timer that never fires cost: {@code clearTimeout(setTimeout(f, 30_000))}, the
 * request-timeout pattern. One operation is the pair.
 * <ul>
 * <li>{@code scheduleCancel}: another timer of the same duration stays pending, so the duration's
 *     list lives on (a busy server: other requests' timeouts are pending);</li>
 * <li>{@code scheduleCancelEmptyList}: the only timer, so, as in Node, every schedule creates the
 *     duration's list and every cancel drops it again.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class TimerScheduleCancel {
    static final double DELAY_MS = 30_000;

    @Param({"loop", "loom", "threadpool"})
    public String runtime;

    private EventLoop loop;
    private int cancelled;
    private static final Runnable NEVER = () -> {
        throw new IllegalStateException("a cancelled timer fired");
    };
    private final Runnable pairsBesidePending = () -> {
        Timeout anchor = loop.setTimeout(NEVER, DELAY_MS);
        pairs();
        loop.clearTimeout(anchor);
    };
    private final Runnable pairsAlone = this::pairs;

    private void pairs() {
        for (int i = 0; i < Micro.N; i++) {
            Timeout t = loop.setTimeout(NEVER, DELAY_MS);
            loop.clearTimeout(t);
            if (!t.isPending()) cancelled++;
        }
    }

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
    public int scheduleCancel() {
        cancelled = 0;
        loop.run(pairsBesidePending);
        Micro.check("scheduleCancel", Micro.N, cancelled);
        return cancelled;
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N)
    public int scheduleCancelEmptyList() {
        cancelled = 0;
        loop.run(pairsAlone);
        Micro.check("scheduleCancelEmptyList", Micro.N, cancelled);
        return cancelled;
    }
}
