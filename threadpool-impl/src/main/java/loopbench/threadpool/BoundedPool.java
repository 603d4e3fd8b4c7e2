package loopbench.threadpool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import loopbench.core.NamedThreads;
import loopbench.core.PoolTask;
import loopbench.core.ThreadShutdown;

/**
 * The classic bounded pool of platform threads ({@link ThreadPoolExecutor}: core/max threads, a
 * bounded queue, refusal when full), shared by every loop given it. Loop drivers, async bodies and
 * offloaded work all take its threads: its saturation is the model's, and the benchmarks show it.
 *
 * <p>Exhaustion: a thread parked waiting for a loop's token (in an await, or while a body it
 * started runs) is <em>blocked</em>, and so is a loop driver asleep in poll with nothing but its
 * own requests to wake it (no timer, no open handle). When every thread the pool may have is blocked, queued work
 * can never start, since only a running thread could settle what the blocked ones wait for.
 * Then instead of hanging, queued tasks are failed with {@link PoolExhaustedException} (which names
 * the pool size and the blocked count), and new submissions are refused the same way.
 */
public final class BoundedPool implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final int maxThreads;
    private final AtomicInteger blocked = new AtomicInteger();

    public BoundedPool(int coreThreads, int maxThreads, int queueCapacity, String name) {
        BlockingQueue<Runnable> queue = queueCapacity == 0 ? new SynchronousQueue<>()
                : queueCapacity >= 100_000 ? new LinkedBlockingQueue<>(queueCapacity) : new ArrayBlockingQueue<>(queueCapacity);
        this.maxThreads = maxThreads;
        this.executor = new ThreadPoolExecutor(coreThreads, maxThreads, 30, TimeUnit.SECONDS, queue,
                NamedThreads.platform(name), new ThreadPoolExecutor.AbortPolicy());
    }

    public int maxThreads() {
        return maxThreads;
    }

    public int poolSize() {
        return executor.getPoolSize();
    }

    public int blockedThreads() {
        return blocked.get();
    }

    public int queued() {
        return executor.getQueue().size();
    }

    /** Submits a task, or refuses it with a PoolExhaustedException saying why. */
    public void execute(Runnable task, String what) {
        if (allBlocked()) throw exhausted(what + " cannot start");
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            if (executor.isShutdown()) throw new RejectedExecutionException("the thread pool is shut down; " + what + " refused");
            throw new PoolExhaustedException("threadpool full: " + maxThreads + " threads busy and " + queued()
                    + " tasks queued (the queue's capacity); " + what + " refused", maxThreads, blocked.get());
        }
    }

    /** Called by a pool thread before it parks for a loop token. */
    void enterBlocked() {
        blocked.incrementAndGet();
        if (allBlocked() && !executor.getQueue().isEmpty()) failQueued();
    }

    void exitBlocked() {
        blocked.decrementAndGet();
    }

    private boolean allBlocked() {
        int size = executor.getPoolSize();
        return size >= maxThreads && blocked.get() >= size;
    }

    private void failQueued() {
        List<Runnable> drained = new ArrayList<>();
        executor.getQueue().drainTo(drained);
        PoolExhaustedException why = exhausted("queued work cannot start");
        for (Runnable task : drained) {
            if (task instanceof PoolTask t) t.failBeforeStart(why);
            else executor.getQueue().offer(task); // not ours to fail; leave it queued
        }
    }

    private PoolExhaustedException exhausted(String what) {
        loopbench.core.jfr.PoolExhaustedEvent e = new loopbench.core.jfr.PoolExhaustedEvent();
        if (e.shouldCommit()) {
            e.poolSize = executor.getPoolSize();
            e.blockedThreads = blocked.get();
            e.what = what;
            e.commit();
        }
        return new PoolExhaustedException("threadpool exhausted: all " + executor.getPoolSize() + " of " + maxThreads
                + " pool threads are blocked (" + blocked.get() + " waiting in await or for an async body), so "
                + what + ". Raise the pool's max threads, await less at once, or use the loom runtime.",
                maxThreads, blocked.get());
    }

    public boolean stop(long deadlineNanos) {
        return ThreadShutdown.stop(executor, "threadpool", deadlineNanos);
    }

    @Override
    public void close() {
        stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    }
}
