package loopbench.core;

/**
 * A pending {@code setImmediate}: the handle {@code clearImmediate} takes, and its own node in the
 * loop's immediate queue (one allocation per immediate, as Node's Immediate object).
 */
public final class Immediate {
    final Runnable callback;
    Immediate next;
    boolean destroyed; // ran or cleared

    Immediate(Runnable callback) {
        this.callback = callback;
    }

    /** True until it has run or been cleared. */
    public boolean isPending() {
        return !destroyed;
    }
}
