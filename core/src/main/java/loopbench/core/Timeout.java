package loopbench.core;

/**
 * A pending {@code setTimeout}/{@code setInterval}: the handle {@code clearTimeout} takes and its
 * own node in its duration's list (Node's Timeout object). About 40 bytes besides the callback.
 */
public final class Timeout {
    final Runnable callback;
    final int msecs; // list key: Math.trunc of the coerced delay
    final boolean repeat; // setInterval
    long idleStart; // loop time (ms) when (re)scheduled
    Timeout prev, next; // links in the duration list; both null when not linked
    TimerList.DurationList list;
    boolean destroyed; // ran (non-repeating) or cleared
    boolean cleared; // clearTimeout was called (Node nulls _onTimeout): the callback never runs again
    boolean unenrolled; // cleared while pending (Node's _idleTimeout = -1): refresh() leaves it alone
    boolean refed = true;

    Timeout(Runnable callback, int msecs, boolean repeat) {
        this.callback = callback;
        this.msecs = msecs;
        this.repeat = repeat;
    }

    /** True while it may still fire. */
    public boolean isPending() {
        return !destroyed;
    }

    /**
     * {@code timeout.hasRef()}: whether it keeps the loop alive while pending. Like Node's, the answer
     * outlives the timer (a fired or cleared timer keeps its last ref state). Owner only.
     */
    public boolean hasRef() {
        return refed;
    }

    /** The delay this timer was filed under, after Node's coercion (ms). */
    public int delayMs() {
        return msecs;
    }
}
