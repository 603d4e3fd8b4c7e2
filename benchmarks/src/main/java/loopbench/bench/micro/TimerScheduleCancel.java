package loopbench.bench.micro;

import loopbench.core.Timeout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

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
public class TimerScheduleCancel extends PerRuntimeBenchmark {
    static final double DELAY_MS = 30_000;

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
