package loopbench.threadpool;

import java.util.concurrent.RejectedExecutionException;
import loopbench.core.AwaitingEventLoop;
import loopbench.core.LoopOptions;
import loopbench.core.LoopThreads;
import loopbench.core.NamedThreads;

/**
 * The classic model: the loop's driver, each async body and each offload run on platform threads
 * of a bounded {@link BoundedPool}, taking turns through the loop token (in core). {@code await}
 * blocks the body's pool thread while the loop goes on with another; when every thread is blocked
 * the pool fails the work that cannot start instead of hanging.
 *
 * <p>A loop owns a pool of {@link PoolSize#DEFAULT} size unless told otherwise. Several loops may
 * share one pool ({@link #ThreadPoolEventLoop(LoopOptions, BoundedPool)}, or a group made by
 * {@link ThreadPoolProvider#newGroup}): then they share its threads and its queue, and closing a
 * loop leaves the pool running (its owner closes it).
 */
public final class ThreadPoolEventLoop extends AwaitingEventLoop {
    private final BoundedPool pool;

    public ThreadPoolEventLoop(LoopOptions options) {
        this(options, PoolSize.DEFAULT);
    }

    /** A loop on a pool of its own, of this size. */
    public ThreadPoolEventLoop(LoopOptions options, PoolSize size) {
        this(
                options,
                new PoolThreads(
                        new BoundedPool(
                                size.coreThreads(),
                                size.maxThreads(),
                                size.queueCapacity(),
                                "loopbench-threadpool-" + NamedThreads.nextLoopId()),
                        true));
    }

    /** A loop on a pool shared with other loops; closing the loop leaves the pool running. */
    public ThreadPoolEventLoop(LoopOptions options, BoundedPool shared) {
        this(options, new PoolThreads(java.util.Objects.requireNonNull(shared, "shared"), false));
    }

    private ThreadPoolEventLoop(LoopOptions options, PoolThreads threads) {
        super(options, threads);
        this.pool = threads.pool;
    }

    @Override
    public String runtime() {
        return "threadpool";
    }

    public BoundedPool pool() {
        return pool;
    }

    /** Every thread comes from the bounded pool, which counts the blocked ones. The pool is thread-safe. */
    private static final class PoolThreads implements LoopThreads {
        final BoundedPool pool;
        private final boolean ownsPool;

        PoolThreads(BoundedPool pool, boolean ownsPool) {
            this.pool = pool;
            this.ownsPool = ownsPool;
        }

        @Override
        public void startDriver(Runnable driver) {
            pool.execute(driver, "the loop's driver");
        }

        @Override
        public void startBody(Runnable body) throws RejectedExecutionException {
            pool.execute(body, "an async body");
        }

        @Override
        public void startOffload(Runnable work) throws RejectedExecutionException {
            pool.execute(work, "offloaded work");
        }

        @Override
        public void enterBlocked() {
            pool.enterBlocked();
        }

        @Override
        public void exitBlocked() {
            pool.exitBlocked();
        }

        @Override
        public void checkStalled(long nowNanos, long thresholdNanos) {
            pool.checkStall(nowNanos, thresholdNanos);
        }

        @Override
        public void stop(long deadlineNanos) {
            if (ownsPool) pool.stop(deadlineNanos);
        }
    }
}
