package loopbench.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Ends an executor's threads by a deadline: interrupt what still runs, then wait. */
public final class ThreadShutdown {
    private ThreadShutdown() {}

    /** Returns whether every thread ended before {@code deadlineNanos}; reports the ones that did not. */
    public static boolean stop(ExecutorService executor, String what, long deadlineNanos) {
        executor.shutdownNow();
        try {
            long left = deadlineNanos - System.nanoTime();
            if (executor.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)
                    && threadsEnded(executor, deadlineNanos)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.err.println(
                "loopbench: close(): " + what + " threads did not end in time (a task ignores interruption)");
        return false;
    }

    /** Terminated is not yet ended: a worker signals termination just before its thread exits. */
    private static boolean threadsEnded(ExecutorService executor, long deadlineNanos) throws InterruptedException {
        return !(executor instanceof ThreadPoolExecutor pool
                        && pool.getThreadFactory() instanceof NamedThreads.Factory f)
                || f.join(deadlineNanos);
    }
}
