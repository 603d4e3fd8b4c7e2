package loopbench.bench.micro;

import java.util.concurrent.Callable;
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
import loopbench.core.Promise;

/**
 * What does handing the loop between threads cost? On the runtimes with a blocking await, an
 * async body awaiting an already-settled promise does nothing but the await's round trip: it gives
 * the loop token to the driver and parks; the driver runs the one promise job, which gives the
 * token back and parks until the body's next await. One await is two hand-offs (one park/unpark
 * pair each way).
 * <ul>
 * <li>{@code awaitSettled}: ns per await (round trip);</li>
 * <li>{@code handOff}: the same run counted per hand-off (half of the above).</li>
 * </ul>
 * The loop runtime cannot block in await, so it is not a parameter here (its await is
 * {@code AwaitCost.awaitValue}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class TokenHandOff {
    @Param({"loom", "threadpool"})
    public String runtime;

    private EventLoop loop;
    private int awaited;
    private final Callable<Object> body = () -> {
        Promise<Object> settled = loop.resolved(1);
        for (int i = 0; i < Micro.N_AWAIT; i++) {
            loop.await(settled);
            awaited++;
        }
        return null;
    };
    private final Runnable main = () -> loop.async(body);

    @Setup
    public void setUp() {
        loop = Micro.create(runtime);
    }

    @TearDown
    public void tearDown() {
        loop.close();
    }

    private int run() {
        awaited = 0;
        loop.run(main);
        Micro.check("awaitSettled", Micro.N_AWAIT, awaited);
        return awaited;
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N_AWAIT)
    public int awaitSettled() {
        return run();
    }

    @Benchmark
    @OperationsPerInvocation(2 * Micro.N_AWAIT)
    public int handOff() {
        return run();
    }
}
