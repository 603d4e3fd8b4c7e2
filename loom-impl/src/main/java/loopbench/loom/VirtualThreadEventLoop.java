package loopbench.loom;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import loopbench.core.AwaitingEventLoop;
import loopbench.core.LoopOptions;
import loopbench.core.LoopThreads;
import loopbench.core.NamedThreads;
import loopbench.core.ThreadShutdown;

/**
 * The Project Loom model: the loop's driver, each async body and each offload run on virtual
 * threads of their own; the loop token (in core) makes them take turns, so callbacks never
 * overlap. {@code await} parks only the awaiting body's virtual thread; its carrier is free for
 * the loop meanwhile. Blocking done inside a callback without awaiting still holds the loop.
 */
public final class VirtualThreadEventLoop extends AwaitingEventLoop {
    public VirtualThreadEventLoop(LoopOptions options) {
        super(options, new VirtualThreads(NamedThreads.nextLoopId()));
    }

    @Override
    public String runtime() {
        return "loom";
    }

    /** A new virtual thread for every task, named by its role. The executors are thread-safe. */
    private static final class VirtualThreads implements LoopThreads {
        private final ExecutorService driver;
        private final ExecutorService bodies;
        private final ExecutorService offloads;

        VirtualThreads(int id) {
            driver = perTask("loopbench-loom-" + id + "-driver-");
            bodies = perTask("loopbench-loom-" + id + "-body-");
            offloads = perTask("loopbench-loom-" + id + "-offload-");
        }

        private static ExecutorService perTask(String prefix) {
            return Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name(prefix, 0).factory());
        }

        @Override
        public void startDriver(Runnable driverBody) {
            driver.execute(driverBody);
        }

        @Override
        public void startBody(Runnable body) throws RejectedExecutionException {
            bodies.execute(body);
        }

        @Override
        public void startOffload(Runnable work) throws RejectedExecutionException {
            offloads.execute(work);
        }

        @Override
        public void stop(long deadlineNanos) {
            ThreadShutdown.stop(offloads, "loom offload", deadlineNanos);
            ThreadShutdown.stop(bodies, "loom async body", deadlineNanos);
            ThreadShutdown.stop(driver, "loom driver", deadlineNanos);
        }
    }
}
