package loopbench.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Node's timer store (lib/internal/timers.js): one FIFO list per duration, the lists in a binary
 * heap ordered by (expiry, id). Timers of one duration are appended in scheduling order, so each
 * list is sorted by deadline and only its head is compared.
 *
 * <p>Invariants, all from Node: a list's expiry is the head's idleStart + msecs or later; a list is
 * in the heap and the map exactly while it is the current list for its duration; an emptied list
 * is dropped at once by {@code unenroll} or after its run; a list whose head is not yet due is
 * re-filed with a fresh id, which orders it after lists of equal expiry ({@code listOnTimeout}).
 * Everything here runs on the loop's owner; nothing allocates per timer but the Timeout itself.
 */
final class TimerList {
    static final int TIMEOUT_MAX = Integer.MAX_VALUE; // 2^31 - 1, Node's TIMEOUT_MAX

    /** One duration's FIFO; an intrusive doubly linked list through the Timeouts. */
    static final class DurationList {
        final int msecs;
        long expiry;
        long id;
        int heapIndex = -1;
        Timeout head, tail;

        DurationList(int msecs) {
            this.msecs = msecs;
        }

        boolean isEmpty() {
            return head == null;
        }
    }

    private final Map<Integer, DurationList> byDuration = new HashMap<>();
    private DurationList lastList; // the list of the last insert: most schedules reuse it, with no Integer boxing
    private DurationList[] heap = new DurationList[16];
    private int heapSize;
    private long nextListId = 1;
    private int refCount; // pending refed timers: they keep the loop alive

    /** Node's delay coercion: anything not in [1, TIMEOUT_MAX], NaN included, becomes 1 (rule 7). */
    static double coerceDelay(double after) {
        return after >= 1 && after <= TIMEOUT_MAX ? after : 1;
    }

    /**
     * Node v20's Timeout constructor warns, each time, for a delay above TIMEOUT_MAX before it makes
     * it 1 ms: {@code process.emitWarning(`${after} does not fit into a 32-bit signed integer.\nTimeout
     * duration was set to 1.`, 'TimeoutOverflowWarning')}.
     */
    static Warning overflowWarning(double after) {
        return new Warning(
                "TimeoutOverflowWarning",
                JsNumber.toString(after)
                        + " does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.");
    }

    boolean hasRefed() {
        return refCount > 0;
    }

    int refCount() {
        return refCount;
    }

    /** The earliest list expiry, or Long.MAX_VALUE with no timers. */
    long nextExpiry() {
        return heapSize == 0 ? Long.MAX_VALUE : heap[0].expiry;
    }

    /** Node's {@code insert(item, msecs, start)}. */
    void insert(Timeout t, long start) {
        if (t.list != null) unlink(t); // re-filed (refresh): Node's L.append removes it first
        t.idleStart = start;
        DurationList list = lastList != null && lastList.msecs == t.msecs && lastList.heapIndex >= 0
                ? lastList
                : byDuration.get(t.msecs);
        if (list == null) {
            list = new DurationList(t.msecs);
            list.expiry = start + t.msecs;
            list.id = nextListId++;
            byDuration.put(t.msecs, list);
            heapAdd(list);
        }
        lastList = list;
        t.list = list;
        t.prev = list.tail;
        t.next = null;
        if (list.tail == null) list.head = t;
        else list.tail.next = t;
        list.tail = t;
    }

    void schedule(Timeout t, long start) {
        insert(t, start);
        if (t.refed) refCount++;
    }

    /** Node's {@code clearTimeout}: the callback dropped, then {@code unenroll}. Idempotent. */
    void unenroll(Timeout t) {
        t.cleared = true; // Node's clearTimeout nulls _onTimeout before it unenrolls
        if (t.destroyed) return; // fired already: refresh() still re-arms it, to expire without a callback
        t.destroyed = true;
        t.unenrolled = true;
        DurationList list = t.list;
        unlink(t);
        if (t.refed) {
            if (list != null && list.isEmpty() && list.heapIndex >= 0) { // in the heap exactly while current
                heapRemove(list);
                byDuration.remove(list.msecs);
            }
            refCount--;
        }
    }

    /**
     * Node's {@code Timeout.prototype.refresh} ({@code insertGuarded}): the timer is re-filed at the end
     * of its list from {@code start}; one that fired is armed again (and counted again if refed), one
     * that was cleared is left alone. From its own callback it re-arms a timeout, which the run's end
     * then finds linked and leaves pending.
     */
    void refresh(Timeout t, long start) {
        if (t.unenrolled) return;
        boolean wasDestroyed = t.destroyed;
        insert(t, start);
        if (wasDestroyed) {
            t.destroyed = false;
            if (t.refed) refCount++;
        }
    }

    void setRefed(Timeout t, boolean refed) {
        if (t.refed == refed) return;
        t.refed = refed;
        if (!t.destroyed) refCount += refed ? 1 : -1;
    }

    /** What processTimers needs from the loop. */
    interface Runner {
        /** Node's runNextTicks(): the drain between two timers; a throwing nextTick leaves processTimers. */
        void runNextTicks();

        /** Runs one timer's callback. */
        void fire(Timeout t);

        /** Refreshes and returns the loop time (getLibuvNow()). */
        long now();
    }

    /**
     * Node's {@code processTimers(now)}: lists in (expiry, id) order while the earliest is due, with a
     * drain before every list but the first. {@code now} is read once by the caller (rule 9). A
     * callback that throws leaves through the caller, which reports it and calls again with the
     * same {@code now}, as Node's RunTimers does; a list the throw left empty is still "a list
     * run" on that second call, so the thrower's nextTicks run before the next list.
     */
    void processTimers(long now, Runner runner) {
        boolean ranAtLeastOneList = false;
        while (heapSize > 0) {
            DurationList list = heap[0];
            if (list.expiry > now) return;
            if (ranAtLeastOneList) runner.runNextTicks();
            else ranAtLeastOneList = true;
            listOnTimeout(list, now, runner);
        }
    }

    /** Node's {@code listOnTimeout}: every due timer of one list, a drain before each but the first. */
    private void listOnTimeout(DurationList list, long now, Runner runner) {
        boolean ranAtLeastOneTimer = false;
        Timeout t;
        while ((t = list.head) != null) {
            if (now - t.idleStart < list.msecs) {
                // Too early for the rest of this list: re-file it behind equal expiries.
                list.expiry = Math.max(t.idleStart + list.msecs, now + 1);
                list.id = nextListId++;
                siftDown(list.heapIndex);
                return;
            }
            if (ranAtLeastOneTimer) runner.runNextTicks();
            else ranAtLeastOneTimer = true;
            if (t.destroyed) continue; // cleared by one of those nextTicks (rule 11): unenroll unlinked it
            unlink(t);
            if (t.cleared) { // cleared after it fired, then refreshed: it expires without a callback
                t.destroyed = true;
                if (t.refed) refCount--;
                continue;
            }
            long start = t.repeat ? runner.now() : 0; // an interval restarts from its callback's start (rule 10)
            try {
                runner.fire(t);
            } finally {
                if (t.repeat && !t.destroyed) {
                    insert(t, start);
                } else if (!t.destroyed && t.list == null) {
                    t.destroyed = true;
                    if (t.refed) refCount--;
                }
            }
        }
        if (list.heapIndex >= 0) { // it may have been dropped (and its duration recreated) meanwhile
            byDuration.remove(list.msecs);
            heapRemove(list);
        }
    }

    void clear() {
        lastList = null;
        for (int i = 0; i < heapSize; i++) heap[i].heapIndex = -1;
        byDuration.clear();
        Arrays.fill(heap, 0, heapSize, null);
        heapSize = 0;
        refCount = 0;
    }

    private static void unlink(Timeout t) {
        DurationList list = t.list;
        if (list == null) return;
        if (t.prev == null) list.head = t.next;
        else t.prev.next = t.next;
        if (t.next == null) list.tail = t.prev;
        else t.next.prev = t.prev;
        t.prev = t.next = null;
        t.list = null;
    }

    // ---- binary min-heap on (expiry, id), positions kept in the lists for removal ----

    private static boolean less(DurationList a, DurationList b) {
        return a.expiry != b.expiry ? a.expiry < b.expiry : a.id < b.id;
    }

    private void heapAdd(DurationList l) {
        if (heapSize == heap.length) heap = Arrays.copyOf(heap, heapSize * 2);
        heap[heapSize] = l;
        l.heapIndex = heapSize;
        siftUp(heapSize++);
    }

    private void heapRemove(DurationList l) {
        int i = l.heapIndex;
        if (i < 0) return;
        DurationList last = heap[--heapSize];
        heap[heapSize] = null;
        l.heapIndex = -1;
        if (i == heapSize) return;
        heap[i] = last;
        last.heapIndex = i;
        siftDown(i);
        siftUp(last.heapIndex);
    }

    private void siftUp(int i) {
        DurationList x = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            DurationList p = heap[parent];
            if (!less(x, p)) break;
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = x;
        x.heapIndex = i;
    }

    private void siftDown(int i) {
        DurationList x = heap[i];
        int half = heapSize >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            if (c + 1 < heapSize && less(heap[c + 1], heap[c])) c++;
            if (!less(heap[c], x)) break;
            heap[i] = heap[c];
            heap[i].heapIndex = i;
            i = c;
        }
        heap[i] = x;
        x.heapIndex = i;
    }
}
