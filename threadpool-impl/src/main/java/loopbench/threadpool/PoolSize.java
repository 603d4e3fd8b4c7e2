package loopbench.threadpool;

/**
 * The size of a {@link BoundedPool}: the threadpool runtime's own settings, apart from the
 * {@link loopbench.core.LoopOptions} every runtime reads.
 *
 * @param coreThreads   threads kept alive
 * @param maxThreads    most threads at once
 * @param queueCapacity tasks that may wait for a thread before submissions are refused
 */
public record PoolSize(int coreThreads, int maxThreads, int queueCapacity) {
    /** 64 core = 64 max platform threads, and a queue of 100,000 tasks (the README's defaults). */
    public static final PoolSize DEFAULT = new PoolSize(64, 64, 100_000);

    public PoolSize {
        if (coreThreads < 1 || maxThreads < coreThreads) {
            throw new IllegalArgumentException(
                    "pool sizes must satisfy 1 <= core <= max, were core=" + coreThreads + " max=" + maxThreads);
        }
        if (queueCapacity < 0) throw new IllegalArgumentException("queueCapacity must be >= 0, was " + queueCapacity);
    }

    /** {@code threads} core = max threads and this size's queue. */
    public PoolSize withThreads(int threads) {
        return new PoolSize(threads, threads, queueCapacity);
    }
}
