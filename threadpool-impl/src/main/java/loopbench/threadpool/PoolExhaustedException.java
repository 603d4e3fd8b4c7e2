package loopbench.threadpool;

import java.util.concurrent.RejectedExecutionException;

/** The bounded pool cannot give a thread to work that needs one; the message says how full it is. */
public final class PoolExhaustedException extends RejectedExecutionException {
    private final int poolSize;
    private final int blockedThreads;

    public PoolExhaustedException(String message, int poolSize, int blockedThreads) {
        super(message);
        this.poolSize = poolSize;
        this.blockedThreads = blockedThreads;
    }

    public int poolSize() {
        return poolSize;
    }

    public int blockedThreads() {
        return blockedThreads;
    }
}
