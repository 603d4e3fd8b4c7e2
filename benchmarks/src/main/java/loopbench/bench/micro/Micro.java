package loopbench.bench.micro;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import loopbench.core.EventLoop;
import loopbench.core.EventLoops;

/**
 * What the micro benchmarks share: operation counts, loop creation, and the checks that make a
 * benchmark fail loudly instead of timing an empty run.
 *
 * <p>Every benchmark times whole {@code loop.run(main)} calls: {@code run} returns when nothing is
 * pending, so one invocation is "schedule N operations and run them to completion", divided by N
 * through {@code @OperationsPerInvocation}. Starting and ending a run (one hand-off to the driver
 * thread and back) is in the figure, spread over N operations.
 */
final class Micro {
    /** Operations per invocation for the cheap operations (Node's anchor uses 10^6 and 2.5 * 10^5). */
    static final int N = 100_000;
    /**
     * The length of the {@code promiseThenChain1M} chain: {@code N} in Node's anchor
     * ({@code shared/anchors/node-bench.js}). A million pending promises outgrow V8's young
     * generation (16 MiB semi-spaces by default), so Node pays for promoting them; {@link #N} of
     * them fit. Both sizes are measured so that neither side is compared only where it is at its best.
     */
    static final int N_1M = 1_000_000;
    /** Immediates or timers pending at once in the {@code ...250k} benchmarks: the anchor's {@code N / 4}. */
    static final int N_250K = N_1M / 4;
    /** Operations per invocation where one operation is a thread hand-off (microseconds each). */
    static final int N_AWAIT = 10_000;

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private Micro() {}

    static EventLoop create(String runtime) {
        return EventLoops.create(runtime);
    }

    /** Fails the benchmark (JMH prints it as a failure) when a run did not do the work it should have. */
    static void check(String what, long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException(what + ": expected " + expected + " callbacks, ran " + actual);
        }
    }

    /** Heap in use after full collections: the live bytes, as far as the JVM can tell. */
    static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
