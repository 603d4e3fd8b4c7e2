package loopbench.loop;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import loopbench.core.EventLoopCore;
import loopbench.core.LoopOptions;
import loopbench.core.NamedThreads;
import loopbench.core.ThreadShutdown;

/**
 * The Node/libuv model: one dedicated platform thread runs every phase and every callback of this
 * loop; blocking work goes to a small fixed worker pool (libuv's threadpool, 4 threads by
 * default) and comes back as a poll-phase completion. There is no blocking {@code await}: async
 * code is promise chains, and {@link #await} says so.
 */
public final class SingleThreadEventLoop extends EventLoopCore {
    private final int id = NamedThreads.nextLoopId();
    private final ExecutorService loopThread =
            Executors.newSingleThreadExecutor(NamedThreads.platform("loopbench-loop-" + id));
    private final ExecutorService workers;

    public SingleThreadEventLoop(LoopOptions options) {
        super(options);
        this.workers = Executors.newFixedThreadPool(options.workerThreads(),
                NamedThreads.platform("loopbench-loop-" + id + "-worker"));
    }

    @Override
    public String runtime() {
        return "loop";
    }

    @Override
    protected void startDriver(Runnable driverBody) {
        loopThread.execute(driverBody);
    }

    @Override
    protected void startOffload(Runnable work) throws RejectedExecutionException {
        workers.execute(work);
    }

    @Override
    protected void shutdownThreads(long deadlineNanos) {
        ThreadShutdown.stop(workers, "loop worker", deadlineNanos);
        ThreadShutdown.stop(loopThread, "loop", deadlineNanos);
    }
}
