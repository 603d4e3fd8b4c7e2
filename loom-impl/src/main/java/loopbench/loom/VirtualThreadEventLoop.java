package loopbench.loom;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import loopbench.core.AwaitingEventLoop;
import loopbench.core.LoopOptions;
import loopbench.core.NamedThreads;
import loopbench.core.ThreadShutdown;

/**
 * The Project Loom model: the loop's driver, each async body and each offload run on virtual
 * threads of their own; the loop token (in core) makes them take turns, so callbacks never
 * overlap. {@code await} parks only the awaiting body's virtual thread; its carrier is free for
 * the loop meanwhile. Blocking done inside a callback without awaiting still holds the loop.
 */
public final class VirtualThreadEventLoop extends AwaitingEventLoop {
    private final int id = NamedThreads.nextLoopId();
    private final ExecutorService driver =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("loopbench-loom-" + id + "-driver-", 0).factory());
    private final ExecutorService bodies =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("loopbench-loom-" + id + "-body-", 0).factory());
    private final ExecutorService offloads =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("loopbench-loom-" + id + "-offload-", 0).factory());

    public VirtualThreadEventLoop(LoopOptions options) {
        super(options);
    }

    @Override
    public String runtime() {
        return "loom";
    }

    @Override
    protected void startDriver(Runnable driverBody) {
        driver.execute(driverBody);
    }

    @Override
    protected void startBody(Runnable body) throws RejectedExecutionException {
        bodies.execute(body);
    }

    @Override
    protected void startOffload(Runnable work) throws RejectedExecutionException {
        offloads.execute(work);
    }

    @Override
    protected void stopThreads(long deadlineNanos) {
        ThreadShutdown.stop(offloads, "loom offload", deadlineNanos);
        ThreadShutdown.stop(bodies, "loom async body", deadlineNanos);
        ThreadShutdown.stop(driver, "loom driver", deadlineNanos);
    }
}
