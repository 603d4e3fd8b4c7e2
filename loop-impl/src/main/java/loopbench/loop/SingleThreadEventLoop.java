package loopbench.loop;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import loopbench.core.EventLoopCore;
import loopbench.core.LoopOptions;
import loopbench.core.LoopThreads;
import loopbench.core.NamedThreads;
import loopbench.core.ThreadShutdown;
import loopbench.loop.io.SelectorTransport;

/**
 * The Node/libuv model: one dedicated platform thread runs every phase and every callback of this
 * loop; blocking work goes to a small fixed worker pool (libuv's threadpool, 4 threads by
 * default) and comes back as a poll-phase completion; sockets are non-blocking, and the poll
 * phase sleeps in their selector ({@link SelectorTransport}). There is no blocking {@code await}:
 * async code is promise chains, and {@link #await} says so.
 */
public final class SingleThreadEventLoop extends EventLoopCore {
    public SingleThreadEventLoop(LoopOptions options) {
        super(
                options,
                new LoopThreadAndWorkers(NamedThreads.nextLoopId(), options.workerThreads()),
                SelectorTransport::new);
    }

    @Override
    public String runtime() {
        return "loop";
    }

    /** The loop's own thread, and libuv's worker pool. Both executors are thread-safe. */
    private static final class LoopThreadAndWorkers implements LoopThreads {
        private final ExecutorService loopThread;
        private final ExecutorService workers;

        LoopThreadAndWorkers(int id, int workerThreads) {
            // newFixedThreadPool(1), not newSingleThreadExecutor: its ThreadPoolExecutor lets close() join the thread.
            loopThread = Executors.newFixedThreadPool(1, NamedThreads.platform("loopbench-loop-" + id));
            workers = Executors.newFixedThreadPool(
                    workerThreads, NamedThreads.platform("loopbench-loop-" + id + "-worker"));
        }

        @Override
        public void startDriver(Runnable driver) {
            loopThread.execute(driver);
        }

        @Override
        public void startOffload(Runnable work) throws RejectedExecutionException {
            workers.execute(work);
        }

        @Override
        public void stop(long deadlineNanos) {
            ThreadShutdown.stop(workers, "loop worker", deadlineNanos);
            ThreadShutdown.stop(loopThread, "loop", deadlineNanos);
        }
    }
}
