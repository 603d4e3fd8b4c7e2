package loopbench.bench.micro;

import loopbench.core.Promise;
import loopbench.core.ThrowingFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * What does one {@code then} cost, from registering the reaction to running it? A chain of
 * {@link Micro#N} {@code then}s is built on a resolved promise and run to its end, as Node's anchor
 * does: {@code p = Promise.resolve(0); for (...) p = p.then(v => v + 1)}. Each step allocates what
 * the specification requires: the derived promise and its reaction (the handler is one shared object).
 * {@code promiseThenChain1M} builds a chain of {@link Micro#N_1M}, the anchor's own length.
 */
public class PromiseCost extends PerRuntimeBenchmark {
    private long steps;
    private int length;
    private final ThrowingFunction<Object, Object> step = v -> {
        steps++;
        return v;
    };
    private final Runnable buildChain = () -> {
        Promise<Object> p = loop.resolved(0);
        for (int i = 0; i < length; i++) p = p.then(step);
    };

    @Benchmark
    @OperationsPerInvocation(Micro.N)
    public long promiseThenChain() {
        return runChain(Micro.N);
    }

    @Benchmark
    @OperationsPerInvocation(Micro.N_1M)
    public long promiseThenChain1M() {
        return runChain(Micro.N_1M);
    }

    private long runChain(int n) {
        steps = 0;
        length = n;
        loop.run(buildChain);
        Micro.check("promiseThenChain", n, steps);
        return steps;
    }
}
