package loopbench.core;

/**
 * How a loop is built: the settings every runtime reads. Settings of one runtime alone live in its
 * module (the threadpool runtime's pool size: {@code loopbench.threadpool.PoolSize}); defaults are
 * stated in the README.
 *
 * @param workerThreads      loop runtime: fixed offload/file pool size (libuv's UV_THREADPOOL_SIZE, 4)
 * @param closeTimeoutMillis how long close() waits for a busy loop and its threads before reporting and giving up
 * @param blockedThresholdMillis a callback holding the loop longer is reported (stderr with its stack, JFR); 0: off
 */
public record LoopOptions(int workerThreads, long closeTimeoutMillis, long blockedThresholdMillis) {
    public static final LoopOptions DEFAULTS = new LoopOptions(4, 5_000, 2_000);

    public LoopOptions {
        if (workerThreads < 1) throw new IllegalArgumentException("workerThreads must be >= 1, was " + workerThreads);
        if (closeTimeoutMillis < 1)
            throw new IllegalArgumentException("closeTimeoutMillis must be >= 1, was " + closeTimeoutMillis);
        if (blockedThresholdMillis < 0) {
            throw new IllegalArgumentException(
                    "blockedThresholdMillis must be >= 0 (0 turns the detector off), was " + blockedThresholdMillis);
        }
    }

    public LoopOptions withWorkerThreads(int n) {
        return new LoopOptions(n, closeTimeoutMillis, blockedThresholdMillis);
    }

    public LoopOptions withCloseTimeoutMillis(long ms) {
        return new LoopOptions(workerThreads, ms, blockedThresholdMillis);
    }

    /** Blocked-loop detector threshold; 0 turns it off. */
    public LoopOptions withBlockedThresholdMillis(long ms) {
        return new LoopOptions(workerThreads, closeTimeoutMillis, ms);
    }
}
