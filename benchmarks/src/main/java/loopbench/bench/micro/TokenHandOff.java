package loopbench.bench.micro;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import loopbench.bench.Runtimes;
import loopbench.core.EventLoop;
import loopbench.core.Promise;
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

/**
 * What does an await of a settled promise cost, and what does handing the loop between threads
 * cost, on the runtimes with a blocking await?
 * <ul>
 * <li>{@code awaitSettled}: one async body awaits an already-settled promise {@link Micro#N_AWAIT}
 * times; ns per await. With nothing else queued its resume job is the next microtask, so after the
 * first resume the body takes that job itself and goes on: no hand-off (AwaitingEventLoop).</li>
 * <li>{@code handOff}: two bodies await in turn, so each await finds the other body's resume job
 * ahead of its own and must give the token to the driver and park; the driver's job runner wakes
 * the other body. Two hand-offs (one park/unpark pair each) per await, counted per hand-off.</li>
 * </ul>
 * The loop runtime cannot block in await, so it is not a parameter here (its await is
 * {@code AwaitCost.awaitValue}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
@Runtimes(Runtimes.Which.AWAITING)
public class TokenHandOff {
    /** Filled at launch by {@link loopbench.bench.JmhMain}: the runtimes that can await. */
    @Param(Runtimes.FILLED)
    public String runtime;

    private EventLoop loop;
    private int awaited;

    private Callable<Object> awaiting(int times) {
        return () -> {
            Promise<Object> settled = loop.resolved(1);
            for (int i = 0; i < times; i++) {
                loop.await(settled);
                awaited++;
            }
            return null;
        };
    }

    private final Callable<Object> alone = awaiting(Micro.N_AWAIT);
    private final Callable<Object> half = awaiting(Micro.N_AWAIT / 2);
    private final Runnable oneBody = () -> loop.async(alone);
    private final Runnable twoBodies = () -> {
        loop.async(half);
        loop.async(half);
    };

    @Setup
    public void setUp() {
        loop = Micro.create(runtime);
    }

    @TearDown
    public void tearDown() {
        loop.close();
    }

    private int run(String what, Runnable main) {
        awaited = 0;
        loop.run(main);
        Micro.check(what, Micro.N_AWAIT, awaited);
        return awaited;
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N_AWAIT)
    public int awaitSettled() {
        return run("awaitSettled", oneBody);
    }

    @Benchmark
    @OperationsPerInvocation(2 * Micro.N_AWAIT)
    public int handOff() {
        return run("handOff", twoBodies);
    }
}
