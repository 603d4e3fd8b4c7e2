package loopbench.threadpool;

import java.util.concurrent.RejectedExecutionException;

import loopbench.core.AwaitingEventLoop;
import loopbench.core.LoopOptions;
import loopbench.core.LoopToken;
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
    private final boolean ownsPool;

    public ThreadPoolEventLoop(LoopOptions options) {
        this(options, PoolSize.DEFAULT);
    }

    /** A loop on a pool of its own, of this size. */
    public ThreadPoolEventLoop(LoopOptions options, PoolSize size) {
        super(options);
        pool = new BoundedPool(size.coreThreads(), size.maxThreads(), size.queueCapacity(),
                "loopbench-threadpool-" + NamedThreads.nextLoopId());
        ownsPool = true;
    }

    /** A loop on a pool shared with other loops; closing the loop leaves the pool running. */
    public ThreadPoolEventLoop(LoopOptions options, BoundedPool shared) {
        super(options);
        pool = java.util.Objects.requireNonNull(shared, "shared");
        ownsPool = false;
    }

    @Override
    public String runtime() {
        return "threadpool";
    }

    public BoundedPool pool() {
        return pool;
    }

    @Override
    protected void startDriver(Runnable driverBody) {
        pool.execute(driverBody, "the loop's driver");
    }

    @Override
    protected void startBody(Runnable body) throws RejectedExecutionException {
        pool.execute(body, "an async body");
    }

    @Override
    protected void startOffload(Runnable work) throws RejectedExecutionException {
        pool.execute(work, "offloaded work");
    }

    @Override
    protected void waitForToken(LoopToken.Party me) {
        if (token.holder() == me) return;
        pool.enterBlocked();
        try {
            token.awaitTurn(me);
        } finally {
            pool.exitBlocked();
        }
    }

    @Override
    protected void checkStalled(long nowNanos, long thresholdNanos) {
        pool.checkStall(nowNanos, thresholdNanos);
    }

    @Override
    protected void sleepingOnRequests(boolean sleeping) {
        if (sleeping) pool.enterBlocked(); else pool.exitBlocked();
    }

    @Override
    protected void stopThreads(long deadlineNanos) {
        if (ownsPool) pool.stop(deadlineNanos);
    }
}
