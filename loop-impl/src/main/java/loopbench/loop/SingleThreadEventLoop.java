package loopbench.loop;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import loopbench.core.EventLoopCore;
import loopbench.core.LoopOptions;
import loopbench.core.NamedThreads;
import loopbench.core.ThreadShutdown;
import loopbench.core.io.Net;
import loopbench.core.io.NetCore;
import loopbench.loop.io.SelectorTransport;

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
    private final SelectorTransport transport = new SelectorTransport(this::runMacrotask, this::isStopRequested);
    private final NetCore net = new NetCore(this, this::checkOwner, this::startRequest, transport);

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
    public Net net() {
        return net;
    }

    /** The poll phase sleeps in select once a socket was opened (see SelectorTransport). */
    @Override
    protected void awaitIo(long nanos) {
        if (!transport.await(nanos)) super.awaitIo(nanos);
    }

    @Override
    protected void wakeup() {
        if (!transport.wakeup()) super.wakeup();
    }

    @Override
    protected void pollIo() {
        transport.poll();
    }

    @Override
    protected void exitDriver() {
        transport.runEnded();
    }

    @Override
    protected boolean hasLiveHandles() {
        return net.hasLiveHandles();
    }

    @Override
    protected void shutdownThreads(long deadlineNanos) {
        ThreadShutdown.stop(workers, "loop worker", deadlineNanos);
        ThreadShutdown.stop(loopThread, "loop", deadlineNanos);
        net.shutdown(); // every socket, then the selector
    }
}
