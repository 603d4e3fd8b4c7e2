package loopbench.bench.load;

import loopbench.bench.backend.BackendCalls;
import loopbench.core.EventLoop;
import loopbench.core.Promise;

/**
 * One request: its intended start (the schedule's), its actual start (when the generator submitted
 * it), whether it is heavy, and the loop it runs on with that loop's sink. It is the callback
 * submitted with {@code loop.execute} and, through {@link Promise.Settlement}, its own completion:
 * no allocation per request beyond this object.
 */
final class Request implements Runnable, Promise.Settlement {
    final long intended;
    final long actual;
    final boolean heavy;
    private final RequestHandler handler;
    EventLoop loop; // set by the target before submission
    LatencySink sink; // likewise
    BackendCalls backend; // likewise: the loop's
    boolean started; // the handler ran (owner-written; read after the loop ended)
    /** Time the handler held the loop so far (owner-written, by {@link RequestHandler}; read at completion). */
    long serviceNanos;
    /**
     * How long its CPU work took, -1 until done: written by the thread that ran it (the loop's owner, or an
     * offload worker whose completion reaches the loop through its inbox, a happens-before edge).
     */
    long workNanos = -1;

    Request(long intended, long actual, boolean heavy, RequestHandler handler) {
        this.intended = intended;
        this.actual = actual;
        this.heavy = heavy;
        this.handler = handler;
    }

    /** On the loop: start the handler and complete when its promise settles. */
    @Override
    public void run() {
        started = true;
        Promise<?> p;
        try {
            p = handler.handle(loop, this);
        } catch (Throwable t) {
            sink.complete(this, false);
            return;
        }
        p.whenSettled(this);
    }

    @Override
    public void settled(Object value, boolean rejected) {
        sink.complete(this, !rejected);
    }

    /** The request could not be submitted or its loop failed before the handler ran (on the thread that found out). */
    void fail() {
        sink.complete(this, false);
    }
}
