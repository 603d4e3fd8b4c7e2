package loopbench.core;

/**
 * How a loop is built. Each runtime reads what applies to it; defaults are stated in the README.
 *
 * @param workerThreads      loop runtime: fixed offload/file pool size (libuv's UV_THREADPOOL_SIZE, 4)
 * @param poolCoreThreads    threadpool runtime: threads kept alive
 * @param poolMaxThreads     threadpool runtime: most threads at once
 * @param poolQueueCapacity  threadpool runtime: tasks that may wait for a thread before submissions are refused
 * @param closeTimeoutMillis how long close() waits for a busy loop and its threads before reporting and giving up
 * @param sharedPool         threadpool runtime: a BoundedPool shared with other loops, or null for a pool of its own
 * @param blockedThresholdMillis a callback holding the loop longer is reported (stderr with its stack, JFR); 0: off
 */
public record LoopOptions(int workerThreads, int poolCoreThreads, int poolMaxThreads, int poolQueueCapacity,
                          long closeTimeoutMillis, Object sharedPool, long blockedThresholdMillis) {
    public static final LoopOptions DEFAULTS = new LoopOptions(4, 64, 64, 100_000, 5_000, null, 2_000);

    public LoopOptions {
        if (workerThreads < 1) throw new IllegalArgumentException("workerThreads must be >= 1, was " + workerThreads);
        if (poolCoreThreads < 1 || poolMaxThreads < poolCoreThreads) {
            throw new IllegalArgumentException("pool sizes must satisfy 1 <= core <= max, were core=" + poolCoreThreads
                    + " max=" + poolMaxThreads);
        }
        if (poolQueueCapacity < 0) throw new IllegalArgumentException("poolQueueCapacity must be >= 0, was " + poolQueueCapacity);
        if (closeTimeoutMillis < 1) throw new IllegalArgumentException("closeTimeoutMillis must be >= 1, was " + closeTimeoutMillis);
        if (blockedThresholdMillis < 0) {
            throw new IllegalArgumentException("blockedThresholdMillis must be >= 0 (0 turns the detector off), was " + blockedThresholdMillis);
        }
    }

    public LoopOptions withWorkerThreads(int n) {
        return new LoopOptions(n, poolCoreThreads, poolMaxThreads, poolQueueCapacity, closeTimeoutMillis, sharedPool, blockedThresholdMillis);
    }

    public LoopOptions withPool(int core, int max, int queue) {
        return new LoopOptions(workerThreads, core, max, queue, closeTimeoutMillis, sharedPool, blockedThresholdMillis);
    }

    public LoopOptions withCloseTimeoutMillis(long ms) {
        return new LoopOptions(workerThreads, poolCoreThreads, poolMaxThreads, poolQueueCapacity, ms, sharedPool, blockedThresholdMillis);
    }

    /** Threadpool runtime: run on this pool (shared by several loops) instead of a pool of the loop's own. */
    public LoopOptions withSharedPool(Object pool) {
        return new LoopOptions(workerThreads, poolCoreThreads, poolMaxThreads, poolQueueCapacity, closeTimeoutMillis, pool, blockedThresholdMillis);
    }

    /** Blocked-loop detector threshold; 0 turns it off. */
    public LoopOptions withBlockedThresholdMillis(long ms) {
        return new LoopOptions(workerThreads, poolCoreThreads, poolMaxThreads, poolQueueCapacity, closeTimeoutMillis, sharedPool, ms);
    }
}
