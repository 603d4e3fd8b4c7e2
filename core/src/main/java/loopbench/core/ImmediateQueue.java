package loopbench.core;

/**
 * The check phase's queue. Node's processImmediate (lib/internal/timers.js) runs a snapshot: the
 * queue is detached before the first callback, so immediates added meanwhile wait for the next
 * iteration (NODE-SEMANTICS rule 12). A cleared immediate stays linked but is skipped.
 */
final class ImmediateQueue {
    private Immediate head, tail;
    private int live; // pending, not cleared: keeps the loop alive and makes poll not block

    boolean hasPending() {
        return live > 0;
    }

    void add(Immediate im) {
        if (tail == null) head = im; else tail.next = im;
        tail = im;
        live++;
    }

    void clear(Immediate im) {
        if (!im.destroyed) {
            im.destroyed = true;
            live--;
        }
    }

    /** Detaches everything queued so far; the caller runs it with {@link #take}. */
    Immediate detach() {
        Immediate first = head;
        head = tail = null;
        return first;
    }

    /** Marks {@code im} as run (before its callback, as Node does) and reports whether it should run. */
    boolean take(Immediate im) {
        if (im.destroyed) return false;
        im.destroyed = true;
        live--;
        return true;
    }

    void drop() {
        head = tail = null;
        live = 0;
    }
}
