package loopbench.core;

import java.util.concurrent.locks.LockSupport;

/**
 * Ownership of one loop, handed from thread to thread explicitly: whoever holds the token is the
 * only thread touching the loop's state, so callbacks never overlap even when several threads
 * (a driver, parked async bodies) belong to the loop. The loom and threadpool runtimes build
 * {@code await} on it.
 *
 * <p>Algorithm: {@code holder} is a volatile reference to the holding {@link Party}. To hand over,
 * the holder writes the next party and unparks its thread; the receiver parks until it reads
 * itself. The volatile write/read pair is the happens-before edge that publishes all loop state
 * written by the previous holder. A party whose thread has not started yet is handed the token
 * all the same: it reads {@code holder} after publishing its thread, so the wake-up is never lost.
 *
 * <p>Invariant: at most one party runs loop code at a time: every party other than the holder is
 * parked in {@link #awaitTurn} or not running loop code.
 */
public final class LoopToken {
    /** A thread that can hold the token: a loop's driver, an async body, or a closer. */
    public static final class Party {
        volatile Thread thread;
        final Object body; // the async body this party runs, or null for a driver/closer

        public Party(Thread thread, Object body) {
            this.thread = thread;
            this.body = body;
        }

        public Thread thread() {
            return thread;
        }

        /** Called by the party's own thread when it starts, before it waits for its turn. */
        public void bind(Thread t) {
            thread = t;
        }
    }

    private volatile Party holder;

    public Party holder() {
        return holder;
    }

    /** Gives the token to {@code next}, which may not have started yet. */
    public void give(Party next) {
        holder = next;
        Thread t = next.thread;
        if (t != null) LockSupport.unpark(t);
    }

    /** Parks the calling thread until {@code me} holds the token. */
    public void awaitTurn(Party me) {
        while (holder != me) LockSupport.park(this);
    }

    /** Like {@link #awaitTurn} but gives up at {@code deadlineNanos}; returns whether it got the token. */
    public boolean awaitTurn(Party me, long deadlineNanos) {
        while (holder != me) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return false;
            LockSupport.parkNanos(this, left);
        }
        return true;
    }
}
