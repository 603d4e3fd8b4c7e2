package loopbench.threadpool;

import loopbench.core.CapacityBound;
import loopbench.core.EventLoop;
import loopbench.core.EventLoopProvider;
import loopbench.core.LoopGroup;
import loopbench.core.LoopOptions;

public final class ThreadPoolProvider implements EventLoopProvider {
    @Override
    public String name() {
        return "threadpool";
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public String description() {
        return "platform threads of a bounded pool, one at a time per loop; await blocks a pool thread";
    }

    @Override
    public boolean canAwait() {
        return true;
    }

    @Override
    public boolean awaitHoldsPlatformThread() {
        return true;
    }

    @Override
    public boolean supportsLoopPerRequest() {
        return true;
    }

    @Override
    public EventLoop create(LoopOptions options) {
        return new ThreadPoolEventLoop(options);
    }

    /**
     * A thread of the bounded pool runs a request from its start until it ends, blocked in {@code await}
     * through its CPU work and I/O waits, and each connection's blocking read holds one more:
     * min(loops / E[time on the loop], (pool threads - threads held by I/O) / (E[CPU] + E[I/O wait]),
     * cores / E[CPU]).
     */
    @Override
    public CapacityBound capacityBound(CapacityBound.Demand d) {
        int threads = d.sharedThreads() > 0 ? d.sharedThreads() : PoolSize.DEFAULT.maxThreads();
        return CapacityBound.lowest(
                CapacityBound.loops(d),
                CapacityBound.threads(
                        threads, d.loops() * d.ioThreadsPerLoop(), d.cpuSeconds() + d.ioWaitSeconds(), "pool threads"),
                CapacityBound.cores(d));
    }

    /** Loops on one {@link BoundedPool} of {@code sharedThreads} core = max threads (0: {@link PoolSize#DEFAULT}'s). */
    @Override
    public LoopGroup newGroup(LoopOptions options, int sharedThreads) {
        if (sharedThreads < 0) throw new IllegalArgumentException("sharedThreads must be >= 0, was " + sharedThreads);
        PoolSize size = sharedThreads == 0 ? PoolSize.DEFAULT : PoolSize.DEFAULT.withThreads(sharedThreads);
        BoundedPool pool =
                new BoundedPool(size.coreThreads(), size.maxThreads(), size.queueCapacity(), "loopbench-group-pool");
        return new LoopGroup() {
            @Override
            public EventLoop newLoop() {
                return new ThreadPoolEventLoop(options, pool);
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }
}
