package loopbench.core;

import java.util.ArrayDeque;

/**
 * Node's unhandled-rejection bookkeeping (lib/internal/process/promises.js). A promise rejected
 * with no handler is queued; a handler attached before the check withdraws it; the check runs
 * only when the nextTick and microtask queues are both empty (rule 6), reports the survivors in
 * rejection order, and tells the drain to go round again, since a report may queue more work.
 */
final class RejectionTracker {
    static final byte NONE = 0, PENDING = 1, WARNED = 2;

    private final ArrayDeque<Promise<?>> pending = new ArrayDeque<>();
    private int live; // entries of `pending` still PENDING

    /** V8 kPromiseRejectWithNoHandler: Node's unhandledRejection(promise, reason). */
    void rejectedWithNoHandler(Promise<?> p) {
        p.tracking = PENDING;
        pending.add(p);
        live++;
    }

    /** V8 kPromiseHandlerAddedAfterReject: Node's handledRejection(promise). */
    void handlerAdded(Promise<?> p) {
        if (p.tracking == PENDING) {
            p.tracking = NONE;
            // No entry is PENDING any more, so none will be reported: drop them now. process() runs only
            // while one is, so without this a rejection handled late stayed queued (a leak the soak found).
            if (--live == 0) pending.clear();
        } else if (p.tracking == WARNED) {
            p.tracking = NONE; // Node emits 'rejectionHandled' here; reported the same way for completeness
        }
    }

    /** Entries queued, handled or not (for tests). */
    int queued() {
        return pending.size();
    }

    boolean hasPending() {
        return live > 0;
    }

    /**
     * Node's processPromiseRejections: reports every promise still unhandled, oldest first.
     * Returns whether anything was reported.
     */
    boolean process(java.util.function.BiConsumer<Object, Promise<?>> report) {
        boolean reported = false;
        for (int n = pending.size(); n > 0; n--) {
            Promise<?> p = pending.poll();
            if (p.tracking != PENDING) continue;
            p.tracking = WARNED;
            live--;
            reported = true;
            report.accept(p.result(), p);
        }
        return reported;
    }

    void clear() {
        pending.clear();
        live = 0;
    }
}
