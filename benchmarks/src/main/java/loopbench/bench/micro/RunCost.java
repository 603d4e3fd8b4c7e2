package loopbench.bench.micro;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import loopbench.core.EventLoop;

/**
 * What does starting and ending a run cost? {@code loop.run(main)} with an empty {@code main}:
 * the calling thread hands the loop to the thread that drives it, the loop finds nothing to do,
 * and the caller is woken. Every other micro benchmark pays this once per invocation, spread over
 * its {@link Micro#N} operations; the floor ({@code ArrayDequeFloor}) does not, since it has no
 * thread of its own.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class RunCost {
    @Param({"loop", "loom", "threadpool"})
    public String runtime;

    private EventLoop loop;
    private int ran;
    private final Runnable empty = () -> ran++;

    @Setup
    public void setUp() {
        loop = Micro.create(runtime);
    }

    @TearDown
    public void tearDown() {
        loop.close();
    }

    @Benchmark
    public int emptyRun() {
        int before = ran;
        loop.run(empty);
        Micro.check("emptyRun", 1, ran - before);
        return ran;
    }
}
