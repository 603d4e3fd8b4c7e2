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
import java.util.concurrent.atomic.AtomicLong;
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
 *
 * <p>Stalls: a thread in a blocking socket read is not blocked by that rule (the peer may answer
 * on its own), yet it can wait on work queued behind it: a read whose answer needs a write that
 * cannot get a thread. So the loops' checker also calls {@link #checkStall}: a full pool with work
 * queued that makes no progress (no task finishes, no blocked thread wakes) for the loop's blocked
 * threshold fails its queued work the same way, with a message that says it was a stall. From then
 * on, until a task finishes (the only way a thread frees up), new work is refused at once with the
 * same message: under overload every request's {@code async} would otherwise queue its body behind
 * the same stall and wait a whole threshold for it, one request after another (a 3 s bench point
 * took 42 s). A submission racing the task that ends the stall may still be refused, as a bounded
 * pool's submissions race its threads anywhere.
 */
public final class BoundedPool implements AutoCloseable {
    private static final String ADVICE = "Raise the pool's max threads, await less at once, or use the loom runtime.";
    private final ThreadPoolExecutor executor;
    private final int maxThreads;
    private final AtomicInteger blocked = new AtomicInteger();
    private final AtomicLong wakeUps = new AtomicLong();
    private long seenProgress = -1, stalledSince; // checkStall only (guarded by this)
    private final AtomicLong stalls = new AtomicLong(); // stalls found by checkStall
    private volatile Stall stall; // the last stall found, until a task finishes; or null

    /** A stall: why, and the executor's completed-task count when it was found (the count moves when a thread frees). */
    private record Stall(String why, long completedTasks) {}

    public BoundedPool(int coreThreads, int maxThreads, int queueCapacity, String name) {
        BlockingQueue<Runnable> queue = queueCapacity == 0
                ? new SynchronousQueue<>()
                : queueCapacity >= 100_000
                        ? new LinkedBlockingQueue<>(queueCapacity)
                        : new ArrayBlockingQueue<>(queueCapacity);
        this.maxThreads = maxThreads;
        this.executor = new ThreadPoolExecutor(
                coreThreads,
                maxThreads,
                30,
                TimeUnit.SECONDS,
                queue,
                NamedThreads.platform(name),
                new ThreadPoolExecutor.AbortPolicy());
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

    /** Threads running a task now, blocked or not. */
    public int busyThreads() {
        return executor.getActiveCount();
    }

    /** How many stalls {@link #checkStall} has found: each failed the queued work once. */
    public long stalls() {
        return stalls.get();
    }

    /** Submits a task, or refuses it with a PoolExhaustedException saying why. */
    public void execute(Runnable task, String what) {
        if (allBlocked()) throw exhausted(what + " cannot start");
        Stall s = stall;
        if (s != null) {
            if (executor.getCompletedTaskCount() == s.completedTasks()) {
                throw new PoolExhaustedException(
                        s.why() + ": " + what + " refused. " + ADVICE, maxThreads, blocked.get());
            }
            stall = null; // a thread freed: the stall is over
        }
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            if (executor.isShutdown())
                throw new RejectedExecutionException("the thread pool is shut down; " + what + " refused");
            throw new PoolExhaustedException(
                    "threadpool full: " + maxThreads + " threads busy and " + queued()
                            + " tasks queued (the queue's capacity); " + what + " refused",
                    maxThreads,
                    blocked.get());
        }
    }

    /** Called by a pool thread before it parks for a loop token. */
    void enterBlocked() {
        blocked.incrementAndGet();
        if (allBlocked() && !executor.getQueue().isEmpty()) failQueued(exhausted("queued work cannot start"));
    }

    void exitBlocked() {
        blocked.decrementAndGet();
        wakeUps.incrementAndGet();
    }

    /**
     * Called periodically by the blocked-loop checker: fails the queued work of a pool that has been
     * full, with work queued, and without progress for {@code thresholdNanos}.
     */
    synchronized void checkStall(long nowNanos, long thresholdNanos) {
        if (executor.getPoolSize() < maxThreads || executor.getQueue().isEmpty()) {
            seenProgress = -1;
            return;
        }
        long progress = executor.getCompletedTaskCount() + wakeUps.get();
        if (progress != seenProgress) {
            seenProgress = progress;
            stalledSince = nowNanos;
            return;
        }
        if (nowNanos - stalledSince < thresholdNanos) return;
        seenProgress = -1;
        int running = executor.getPoolSize() - blocked.get();
        String why = "threadpool stalled: all " + maxThreads + " pool threads busy for "
                + (nowNanos - stalledSince) / 1_000_000 + " ms with no task finishing (" + blocked.get()
                + " waiting in await or for an async body, " + running
                + " running without returning, e.g. in a blocking socket read that waits on queued work)";
        stall = new Stall(why + "; until a task finishes, new work is refused", executor.getCompletedTaskCount());
        stalls.incrementAndGet();
        record("stalled: queued work cannot start");
        failQueued(new PoolExhaustedException(
                why + ", so " + queued() + " queued tasks cannot start. " + ADVICE, maxThreads, blocked.get()));
    }

    private boolean allBlocked() {
        int size = executor.getPoolSize();
        return size >= maxThreads && blocked.get() >= size;
    }

    private void failQueued(PoolExhaustedException why) {
        List<Runnable> drained = new ArrayList<>();
        executor.getQueue().drainTo(drained);
        for (Runnable task : drained) {
            if (task instanceof PoolTask t) t.failBeforeStart(why);
            else executor.getQueue().offer(task); // not ours to fail; leave it queued
        }
    }

    private PoolExhaustedException exhausted(String what) {
        record(what);
        return new PoolExhaustedException(
                "threadpool exhausted: all " + executor.getPoolSize() + " of " + maxThreads
                        + " pool threads are blocked (" + blocked.get() + " waiting in await or for an async body), so "
                        + what + ". " + ADVICE,
                maxThreads,
                blocked.get());
    }

    private void record(String what) {
        loopbench.core.jfr.PoolExhaustedEvent e = new loopbench.core.jfr.PoolExhaustedEvent();
        if (e.shouldCommit()) {
            e.poolSize = executor.getPoolSize();
            e.blockedThreads = blocked.get();
            e.what = what;
            e.commit();
        }
    }

    public boolean stop(long deadlineNanos) {
        return ThreadShutdown.stop(executor, "threadpool", deadlineNanos);
    }

    @Override
    public void close() {
        stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    }
}
