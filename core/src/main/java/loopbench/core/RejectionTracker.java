package loopbench.core;

import java.util.ArrayDeque;
import java.util.WeakHashMap;

/**
 * Node's unhandled-rejection bookkeeping (lib/internal/process/promises.js). A promise rejected
 * with no handler is queued and numbered ({@code uid: ++lastPromiseId}); a handler attached before
 * the check withdraws it; the check runs only when the nextTick and microtask queues are both
 * empty (rule 6), and tells the drain to go round again, since what it emits may queue more work.
 * A handler attached to a promise the check already reported queues it for {@code 'rejectionHandled'}
 * ({@code asyncHandledRejections}); the next check emits those first, then reports the survivors of
 * the unhandled queue in rejection order ({@code processPromiseRejections}).
 *
 * <p>Fields, all owner-confined: {@code pending} the rejections not yet checked, in rejection order
 * (handled ones stay queued as NONE until the check or until none is PENDING); {@code live} the
 * entries of {@code pending} still PENDING; {@code headId} the rejection id of {@code pending}'s
 * first entry (entries leave only from the head, so the ids of the queue are consecutive);
 * {@code reportedIds} the id of each reported promise, weakly, as Node's WeakMap holds it;
 * {@code handledLate} reported promises that got a handler since, with their ids, in that order.
 */
final class RejectionTracker {
    static final byte NONE = 0, PENDING = 1, WARNED = 2;

    /** What a check emits: the loop's hooks. */
    interface Reporter {
        /** {@code 'unhandledRejection'} (reason, promise). */
        void unhandled(Object reason, Promise<?> promise);

        /** {@code 'rejectionHandled'} (promise), or the warning when nobody listens; {@code id} is the rejection id. */
        void handledLate(Promise<?> promise, long id);
    }

    private final ArrayDeque<Promise<?>> pending = new ArrayDeque<>();
    private int live;
    private long lastId;
    private long headId = 1;
    private final WeakHashMap<Promise<?>, Long> reportedIds = new WeakHashMap<>();
    private final ArrayDeque<Object> handledLate = new ArrayDeque<>(); // promise, id, promise, id...

    /** V8 kPromiseRejectWithNoHandler: Node's unhandledRejection(promise, reason). */
    void rejectedWithNoHandler(Promise<?> p) {
        lastId++;
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
            if (--live == 0) {
                pending.clear();
                headId = lastId + 1;
            }
        } else if (p.tracking == WARNED) {
            p.tracking = NONE;
            Long id = reportedIds.remove(p);
            handledLate.add(p);
            handledLate.add(id == null ? 0L : id);
        }
    }

    /** Entries queued, handled or not (for tests). */
    int queued() {
        return pending.size();
    }

    /** Whether the next check has something to emit. */
    boolean hasPending() {
        return live > 0 || !handledLate.isEmpty();
    }

    /**
     * Node's processPromiseRejections: {@code 'rejectionHandled'} for every promise handled late, then
     * every promise still unhandled, oldest first. Returns whether anything was emitted.
     */
    boolean process(Reporter reporter) {
        boolean emitted = !handledLate.isEmpty();
        while (!handledLate.isEmpty()) {
            Promise<?> p = (Promise<?>) handledLate.poll();
            reporter.handledLate(p, (Long) handledLate.poll());
        }
        for (int n = pending.size(); n > 0; n--) {
            Promise<?> p = pending.poll();
            long id = headId++;
            if (p.tracking != PENDING) continue;
            p.tracking = WARNED;
            reportedIds.put(p, id);
            live--;
            emitted = true;
            reporter.unhandled(p.result(), p);
        }
        return emitted;
    }

    void clear() {
        pending.clear();
        handledLate.clear();
        reportedIds.clear();
        live = 0;
        headId = lastId + 1;
    }
}
