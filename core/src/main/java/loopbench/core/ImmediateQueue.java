package loopbench.core;

import java.util.TreeSet;

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
 * 12). Here the snapshot is a count: the check phase takes the {@link #size()} entries queued when
 * it began; entries leave only by {@link #take()}, so those are exactly the ones it snapshotted.
 *
 * <p>Invariants: sequence numbers {@code [head, tail)} are queued, in order, where
 * {@code head = first.base + headIndex} and {@code tail = last.base + tailIndex}
 * ({@code nextBase} when no chunk is queued); chunk {@code c} holds {@code [c.base, c.base + CHUNK)};
 * {@code headSlots} and {@code tailSlots} are {@code first.slots} and {@code last.slots}, so the hot
 * paths index an array with an int and never hop through a chunk; {@code cleared} counts the null
 * slots in {@code [head, tail)}, so the hot paths keep no count; {@code unrefed} holds the sequence
 * numbers unref() took off the count, minus cleared ones; those below {@code head} have been taken and
 * are dropped when the count is next asked ({@link #hasRefed}), so {@link #take} never looks at it;
 * an immediate is taken (its slot cleared) before its callback runs, so clearing itself from
 * inside its callback is a no-op, as in Node.
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
    private Runnable[] headSlots, tailSlots;
    private int headIndex;
    private int tailIndex = CHUNK; // CHUNK: the last chunk is full (or there is none)
    private long nextBase; // the base of the next chunk appended
    private long tailBase; // last.base, read without a hop (and a null check) through last
    private long cleared; // queued entries that were cleared (null slots not yet taken)
    private TreeSet<Long> unrefed; // unref'd, not cleared; below head: taken, pruned by hasRefed. Null until one is

    /** Pending and not cleared. */
    boolean hasPending() {
        return size() > cleared;
    }

    /**
     * Pending, not cleared and not unref'd (Node's {@code immediateInfo[kRefCount] > 0}): keeps the
     * loop alive and the poll phase from waiting. Unref'd ones still run in the next check phase.
     */
    boolean hasRefed() {
        if (unrefed == null) return size() > cleared;
        unrefed.headSet(head()).clear(); // taken since: they no longer count
        int n = unrefed.size();
        if (n == 0) unrefed = null;
        return size() - cleared > n;
    }

    /** Node's {@code Immediate.prototype.ref/unref}: a no-op once it ran or was cleared. */
    void setRefed(long seq, boolean refed) {
        if (!isPending(seq)) return;
        if (refed) {
            if (unrefed != null) unrefed.remove(seq);
        } else {
            if (unrefed == null) unrefed = new TreeSet<>();
            unrefed.add(seq);
        }
    }

    /** {@code immediate.hasRef()}: false once it ran or was cleared, as Node's kRefed is then null. */
    boolean hasRef(long seq) {
        return isPending(seq) && (unrefed == null || !unrefed.contains(seq));
    }

    /** Queues {@code callback}; returns its sequence number. */
    long add(Runnable callback) {
        if (tailIndex == CHUNK) appendChunk();
        int i = tailIndex++;
        tailSlots[i] = callback;
        return tailBase + i; // unused, and not computed, when the caller drops the handle
    }

    private void appendChunk() {
        Chunk c = spare;
        if (c != null) {
            spare = c.next;
            c.next = null;
        } else {
            c = new Chunk();
        }
        c.base = nextBase;
        nextBase += CHUNK;
        if (last == null) {
            first = c;
            headSlots = c.slots;
            headIndex = 0;
        } else {
            last.next = c;
        }
        last = c;
        tailBase = c.base;
        tailSlots = c.slots;
        tailIndex = 0;
    }

    private long head() {
        return first == null ? nextBase : first.base + headIndex;
    }

    private long tail() {
        return last == null ? nextBase : last.base + tailIndex;
    }

    /** Entries queued, cleared ones included: what a check phase that starts now will take. */
    long size() {
        return tail() - head();
    }

    boolean isPending(long seq) {
        Chunk c = chunkOf(seq);
        return c != null && c.slots[(int) (seq - c.base)] != null;
    }

    void clear(long seq) {
        Chunk c = chunkOf(seq);
        if (c != null && c.slots[(int) (seq - c.base)] != null) {
            c.slots[(int) (seq - c.base)] = null;
            cleared++;
            if (unrefed != null) unrefed.remove(seq);
        }
    }

    /** The chunk holding queued sequence number {@code seq}, or null if it is not queued (ran, or never was). */
    private Chunk chunkOf(long seq) {
        if (seq < head() || seq >= tail()) return null;
        Chunk c = first;
        while (seq - c.base >= CHUNK) c = c.next; // clearImmediate is rare; a walk over chunks is fine
        return c;
    }

    /** Takes the next queued entry; null if it was cleared (skip it). Call only while {@link #size()} > 0. */
    Runnable take() {
        Runnable[] slots = headSlots;
        int i = headIndex;
        Runnable callback = slots[i];
        slots[i] = null;
        if (callback == null) cleared--;
        if (++i == CHUNK) retireFirst();
        else headIndex = i;
        return callback;
    }

    /** The first chunk is used up: unlink it and keep it for reuse. */
    private void retireFirst() {
        Chunk c = first;
        first = c.next;
        c.next = spare;
        spare = c;
        headIndex = 0;
        if (first != null) {
            headSlots = first.slots;
        } else { // it was also the last, and full
            last = null;
            headSlots = tailSlots = null;
            tailIndex = CHUNK;
        }
    }

    void drop() {
        for (long n = size(); n > 0; n--) take();
        cleared = 0;
        unrefed = null;
    }
}
