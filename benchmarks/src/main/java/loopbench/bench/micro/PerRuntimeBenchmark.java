package loopbench.bench.micro;

import java.util.concurrent.TimeUnit;
import loopbench.bench.EveryRuntime;
import loopbench.core.EventLoop;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the cost-per-operation questions share: JMH's settings, the {@code runtime} parameter (every
 * runtime, from {@link EveryRuntime}), and one loop of that runtime for the whole trial. A question that needs other
 * settings or runtimes (the memory questions, {@code TokenHandOff}) states its own.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public abstract class PerRuntimeBenchmark extends EveryRuntime {

    protected EventLoop loop;

    @Setup
    public void setUp() {
        loop = Micro.create(runtime);
    }

    @TearDown
    public void tearDown() {
        loop.close();
    }
}
