package loopbench.core;

import java.util.concurrent.RejectedExecutionException;

/**
 * The runtime's threads, passed to {@link EventLoopCore} when a loop is built (as Netty's
 * {@code SingleThreadIoEventLoop} is given its {@code IoHandler}): which thread drives the loop,
 * where off-loop work runs and, on runtimes with a blocking {@code await}, where async bodies run.
 * Everything else about the loop is core's; a runtime module is this interface, a
 * {@link loopbench.core.io.Transport}, and a name.
 *
 * <p>The loop calls {@link #startDriver} once per {@code run()}, the start methods from its owner,
 * {@link #checkStalled} from the blocked-loop checker's thread and {@link #stop} once, from
 * whoever finishes its close. A start method that cannot start its task throws
 * {@link RejectedExecutionException}; a runtime whose queue may have to refuse a task it already
 * took fails it through {@link PoolTask#failBeforeStart} instead.
 */
public interface LoopThreads {
    /** Runs the loop's driver: the script body, then the phases until nothing is pending. */
    void startDriver(Runnable driver);

    /** Runs blocking work off the loop (an offload, a file or socket call): a libuv worker. */
    void startOffload(Runnable work) throws RejectedExecutionException;

    /** Runs an async body on a thread of its own; only runtimes whose {@code await} blocks are asked. */
    default void startBody(Runnable body) throws RejectedExecutionException {
        throw new RejectedExecutionException("this runtime runs no async body on a thread of its own");
    }

    /**
     * A thread of this loop starts ({@link #enterBlocked}) or stops ({@link #exitBlocked}) waiting
     * for something only the loop's other threads can give: the loop token, or the completion of
     * the loop's own requests. A bounded pool counts such threads to see when queued work can never
     * start (threadpool); the others need not.
     */
    default void enterBlocked() {}

    /** See {@link #enterBlocked}. */
    default void exitBlocked() {}

    /** Called by the blocked-loop checker every period: a runtime whose threads can stall unseen checks here. */
    default void checkStalled(long nowNanos, long thresholdNanos) {}

    /** Ends every thread this runtime started for the loop, waiting until {@code deadlineNanos} at most. */
    void stop(long deadlineNanos);
}
