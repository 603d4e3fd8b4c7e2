package loopbench.core;

/**
 * A promise reaction that is its own PromiseReactionJob (ECMA-262 27.2.2.1): it waits in its
 * promise's reaction list, then is queued once, with the settled value, on the microtask queue.
 * A {@link Promise} made by {@code then} is the reaction to its parent, so a {@code then}
 * allocates one object; an await or a combinator registers a {@link Promise.Settlement} instead.
 *
 * <p>Package-private and not a {@link Runnable}, so that {@code Promise}'s public API does not grow
 * a {@code run()}: the drain tells jobs from plain callbacks ({@link EventLoopCore#runMicrotask}).
 */
abstract class PromiseJob {
    PromiseJob nextReaction; // the next reaction registered on the same promise
    Object argument; // the value or reason, once queued
    boolean rejected;

    abstract void runJob();
}
