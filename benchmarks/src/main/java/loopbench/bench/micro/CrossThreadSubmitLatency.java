package loopbench.bench.micro;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import loopbench.bench.EveryRuntime;
import loopbench.core.EventLoop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long does work submitted from another thread wait for the loop? The benchmark thread calls
 * {@code loop.execute(cb)} on an idle loop (kept alive with {@code keepAlive()}, sleeping in its
 * poll phase) and waits until {@code cb} has run on the loop and woken it: one operation is the
 * round trip, submit to callback start plus the wake-up back. Both directions are one park/unpark,
 * so the one-way latency is about half the figure.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class CrossThreadSubmitLatency extends EveryRuntime {

    private EventLoop loop;
    private AutoCloseable alive;
    private Thread runner;
    private volatile Throwable runFailure;

    private volatile Thread waiter;
    private volatile boolean done;
    private final Runnable callback = () -> {
        done = true;
        LockSupport.unpark(waiter);
    };

    @Setup(Level.Trial)
    public void setUp() {
        loop = Micro.create(runtime);
        alive = loop.keepAlive();
        runner = new Thread(
                () -> {
                    try {
                        loop.run(() -> {});
                    } catch (Throwable t) {
                        runFailure = t;
                    }
                },
                "micro-loop-runner");
        runner.setDaemon(true);
        runner.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        alive.close();
        runner.join(TimeUnit.SECONDS.toMillis(10));
        loop.close();
        if (runFailure != null) throw new IllegalStateException("the loop stopped with an error", runFailure);
    }

    @Benchmark
    public boolean executeRoundTrip() {
        waiter = Thread.currentThread();
        done = false;
        loop.execute(callback);
        while (!done) {
            LockSupport.park(this);
            if (runFailure != null) throw new IllegalStateException("the loop stopped", runFailure);
        }
        return done;
    }
}
