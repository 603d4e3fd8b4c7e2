package loopbench.core;

/**
 * The check phase's queue: callbacks in fixed-size chunks, addressed by sequence number. Queueing
 * allocates nothing once it has grown (used-up chunks are reused); a cleared immediate
 * leaves a null in its slot and is skipped.
 *
 * <p>Why chunks and not one growing ring: a ring for 100,000 immediates is a humongous object to G1
 * (half a region or more), allocated straight into an old region, and every reference stored into an
 * old object pays the full card-marking barrier with its StoreLoad fence: measured, 7 ns per
 * {@code setImmediate} against 3 ns. A 2,048-slot chunk (Node's FixedQueue size) is an ordinary young
 * object while it fills.
 *
 * <p>Node's processImmediate (lib/internal/timers.js) runs a snapshot: the queue is detached before
 * the first callback, so immediates added meanwhile wait for the next iteration (NODE-SEMANTICS rule
 * 12). Here the snapshot is a sequence number: the check phase takes entries up to {@link #end()}
 * as it was when the phase began.
 *
 * <p>Invariants: sequence numbers {@code [head, tail)} are queued, in order; chunk {@code c} holds
 * {@code [c.base, c.base + CHUNK)}, {@code first} holds {@code head} and {@code last} the slot of
 * {@code tail - 1}; {@code live} counts the non-null slots; an immediate is taken (its slot cleared,
 * {@code head} advanced) before its callback runs, so clearing itself from inside its callback is a
 * no-op, as in Node.
 */
final class ImmediateQueue {
    private static final int CHUNK = 2048;

    private static final class Chunk {
        final Runnable[] slots = new Runnable[CHUNK];
        long base;
        Chunk next;
    }

    private Chunk first, last;
    private Chunk spare; // used-up chunks for reuse: the queue keeps what its largest burst needed, as a ring would
    private long head, tail;
    private int live; // pending, not cleared: keeps the loop alive and makes poll not block

    boolean hasPending() {
        return live > 0;
    }

    /** Queues {@code callback}; returns its sequence number. */
    long add(Runnable callback) {
        Chunk c = last;
        if (c == null || tail - c.base == CHUNK) c = appendChunk();
        c.slots[(int) (tail - c.base)] = callback;
        live++;
        return tail++;
    }

    private Chunk appendChunk() {
        Chunk c = spare;
        if (c != null) {
            spare = c.next;
            c.next = null;
        } else {
            c = new Chunk();
        }
        c.base = tail;
        if (last == null) first = c; else last.next = c;
        last = c;
        return c;
    }

    boolean isPending(long seq) {
        Chunk c = chunkOf(seq);
        return c != null && c.slots[(int) (seq - c.base)] != null;
    }

    void clear(long seq) {
        Chunk c = chunkOf(seq);
        if (c != null && c.slots[(int) (seq - c.base)] != null) {
            c.slots[(int) (seq - c.base)] = null;
            live--;
        }
    }

    /** The chunk holding queued sequence number {@code seq}, or null if it is not queued (ran, or never was). */
    private Chunk chunkOf(long seq) {
        if (seq < head || seq >= tail) return null;
        Chunk c = first;
        while (seq - c.base >= CHUNK) c = c.next; // clearImmediate is rare; a walk over chunks is fine
        return c;
    }

    /** The sequence number after the last queued immediate: a check phase's snapshot. */
    long end() {
        return tail;
    }

    /** True if entries before {@code end} are still queued. */
    boolean hasBefore(long end) {
        return head < end;
    }

    /** Takes the next queued entry; null if it was cleared (skip it). Call only if {@link #hasBefore}. */
    Runnable take() {
        Chunk c = first;
        int i = (int) (head - c.base);
        Runnable callback = c.slots[i];
        c.slots[i] = null;
        head++;
        if (callback != null) live--;
        if (i == CHUNK - 1) { // used up: unlink it and keep it for reuse
            first = c.next;
            if (first == null) last = null;
            c.next = spare;
            spare = c;
        }
        return callback;
    }

    void drop() {
        while (head < tail) take();
        live = 0;
    }
}
