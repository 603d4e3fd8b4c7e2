package loopbench.bench.micro;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor no event loop can go under: a plain {@code ArrayDeque<Runnable>} drained by a
 * {@code while (poll)} loop on the benchmark thread, with no owner checks, phases or statistics.
 * The methods are named for the loop operations they are the floor of (no {@code runtime}
 * parameter: read as the {@code baseline} runtime).
 * <ul>
 * <li>{@code queueMicrotask}: one callback re-queues itself {@link Micro#N} times;</li>
 * <li>{@code setImmediateBatch}: {@link Micro#N} callbacks queued at once, then drained;</li>
 * <li>{@code promiseThenChain}: a chain of {@link Micro#N} {@code then}s run to its end, with one
 *     object per {@code then} and none of the specification's checks;</li>
 * <li>{@code setImmediateBatch250k}, {@code promiseThenChain1M}: the same at the sizes of Node's anchor,
 *     {@link Micro#N_250K} and {@link Micro#N_1M}.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ArrayDequeFloor {
    private ArrayDeque<Runnable> queue;
    private int left;
    private int ran;
    private final Runnable selfRescheduling = new Runnable() {
        @Override
        public void run() {
            if (--left > 0) queue.add(this);
        }
    };
    private final Runnable counted = () -> ran++;

    @Setup
    public void setUp() {
        queue = new ArrayDeque<>();
    }

    private void drain() {
        Runnable r;
        while ((r = queue.poll()) != null) r.run();
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N)
    public int queueMicrotask() {
        left = Micro.N;
        queue.add(selfRescheduling);
        drain();
        Micro.check("ArrayDequeFloor.queueMicrotask", 0, left);
        return left;
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N)
    public int setImmediateBatch() {
        return batch(Micro.N);
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N_250K)
    public int setImmediateBatch250k() {
        return batch(Micro.N_250K);
    }

    private int batch(int n) {
        ran = 0;
        for (int i = 0; i < n; i++) queue.add(counted);
        drain();
        Micro.check("ArrayDequeFloor.setImmediateBatch", n, ran);
        return ran;
    }

    /**
     * The least a {@code then} chain can cost: one object per {@code then} that is at once the
     * derived promise and its reaction, settled by its job with no owner check, no thenable check,
     * no rejection path; jobs through the same FIFO.
     */
    final class ThenNode implements Runnable {
        final java.util.function.UnaryOperator<Object> handler;
        ThenNode reaction; // a chain has one reaction per promise
        Object value;
        boolean settled;

        ThenNode(java.util.function.UnaryOperator<Object> handler) {
            this.handler = handler;
        }

        ThenNode then(java.util.function.UnaryOperator<Object> f) {
            ThenNode derived = new ThenNode(f);
            if (settled) {
                derived.value = value;
                queue.add(derived);
            } else {
                reaction = derived;
            }
            return derived;
        }

        @Override
        public void run() {
            value = handler.apply(value);
            settled = true;
            ThenNode r = reaction;
            if (r != null) {
                r.value = value;
                queue.add(r);
            }
        }
    }

    private final java.util.function.UnaryOperator<Object> step = v -> {
        ran++;
        return v;
    };

    @Benchmark
    @OperationsPerInvocation(Micro.N)
    public int promiseThenChain() {
        return chain(Micro.N);
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N_1M)
    public int promiseThenChain1M() {
        return chain(Micro.N_1M);
    }

    private int chain(int n) {
        ran = 0;
        ThenNode p = new ThenNode(null);
        p.value = 0;
        p.settled = true;
        for (int i = 0; i < n; i++) p = p.then(step);
        drain();
        Micro.check("ArrayDequeFloor.promiseThenChain", n, ran);
        return ran;
    }
}
