package loopbench.threadpool;

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
    public boolean supportsLoopPerRequest() {
        return true;
    }

    @Override
    public EventLoop create(LoopOptions options) {
        return new ThreadPoolEventLoop(options);
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
