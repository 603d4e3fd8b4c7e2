package loopbench.core;

/**
 * A {@code setImmediate}'s handle, for {@code clearImmediate}: the immediate's sequence number in
 * its loop's queue. The queue holds only the callback, so a handle nobody keeps costs nothing
 * (the JIT removes the allocation once {@code setImmediate} is inlined); Node allocates its
 * Immediate object either way.
 */
public final class Immediate {
    final ImmediateQueue queue;
    final long seq;

    Immediate(ImmediateQueue queue, long seq) {
        this.queue = queue;
        this.seq = seq;
    }

    /**
     * {@code immediate.hasRef()}: whether it keeps the loop alive; false once it ran (or began to
     * run) or was cleared, as in Node. Only the loop's owner should ask.
     */
    public boolean hasRef() {
        return queue.hasRef(seq);
    }

    /** True until it has run or been cleared. Only the loop's owner should ask. */
    public boolean isPending() {
        return queue.isPending(seq);
    }
}
