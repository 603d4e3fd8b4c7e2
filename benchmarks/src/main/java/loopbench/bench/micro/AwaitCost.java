package loopbench.bench.micro;

import java.util.concurrent.Callable;
import loopbench.core.AsyncContinuation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * What does {@code await} of a plain value cost? Node's anchor:
 * {@code (async () => { let x = 0; for (...) x += await i; })()}, {@link Micro#N} awaits: enough
 * that starting and ending the run (a few thread wake-ups) stays near 1 ns per await.
 *
 * <p>On loom and threadpool this is a real {@code loop.await(i)} inside {@code loop.async(...)}:
 * each await queues its one reaction job at once ({@code i} is a plain value); being the only microtask, the body takes it and goes on without handing the
 * loop to the driver (the first await, from the synchronous start, does hand off; an await with
 * other jobs ahead costs two hand-offs: {@code TokenHandOff.handOff}). On loop, which cannot block, the same
 * function is written the way that runtime asks for: the rest of the body is a continuation,
 * {@code loop.whenSettled(i, rest)}: one reaction job per await, as in JavaScript. No promise is
 * made, since nothing could reach the one {@code await i} makes, and the continuation, an
 * {@code AsyncContinuation}, is its own job, as a blocking body is on loom.
 */
public class AwaitCost extends PerRuntimeBenchmark {
    private long sum;
    private int awaited;

    /** The async function with a blocking await (loom, threadpool). */
    private final Callable<Object> blockingBody = () -> {
        long x = 0;
        for (int i = 0; i < Micro.N; i++) {
            x += loop.<Integer>await(i);
            awaited++;
        }
        sum = x;
        return x;
    };

    private final AwaitLoop continuation = new AwaitLoop();
    /** The async function, written the way the runtime asks for it. */
    private final Runnable main = () -> {
        if (loop.canAwait()) loop.async(blockingBody);
        else continuation.start();
    };

    /** The same function as a continuation (loop): the loop variables live in this object. */
    private final class AwaitLoop extends AsyncContinuation {
        int i;
        long x;

        void start() {
            i = 0;
            x = 0;
            loop.whenSettled(0, this);
        }

        @Override
        public void settled(Object value, boolean rejected) {
            x += (Integer) value;
            awaited++;
            if (++i < Micro.N) loop.whenSettled(i, this);
            else sum = x;
        }
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N)
    public long awaitValue() {
        awaited = 0;
        loop.run(main);
        Micro.check("awaitValue", Micro.N, awaited);
        return sum;
    }
}
