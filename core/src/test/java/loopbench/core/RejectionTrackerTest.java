package loopbench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The unhandled-rejection queue: nothing kept once every rejection in it is handled, and late handlers reported. */
class RejectionTrackerTest {

    @Test
    void rejectionsHandledBeforeTheCheckAreNotKept() {
        RejectionTracker tracker = new RejectionTracker();
        for (int i = 0; i < 1000; i++) {
            Promise<Object> p = new Promise<>(null);
            tracker.rejectedWithNoHandler(p); // Promise.reject(x), then .catch(...) in the same tick
            tracker.handlerAdded(p);
        }
        assertFalse(tracker.hasPending());
        assertEquals(0, tracker.queued(), "handled rejections stay queued: memory grows with every one");
    }

    @Test
    void anUnhandledOneIsStillReportedWhenOthersWereHandled() {
        RejectionTracker tracker = new RejectionTracker();
        Promise<Object> handled = new Promise<>(null);
        Promise<Object> unhandled = new Promise<>(null);
        tracker.rejectedWithNoHandler(handled);
        tracker.rejectedWithNoHandler(unhandled);
        tracker.handlerAdded(handled);
        List<Promise<?>> reported = new ArrayList<>();
        tracker.process(reporter(reported, new ArrayList<>()));
        assertEquals(List.of(unhandled), reported);
        assertEquals(0, tracker.queued());
    }

    /**
     * Node numbers every rejection that had no handler ({@code uid: ++lastPromiseId}), handled in time
     * or not, and names that number when a reported one is handled late; the next check emits those
     * first, in the order their handlers came.
     */
    @Test
    void aReportedRejectionHandledLateIsEmittedWithItsRejectionId() {
        RejectionTracker tracker = new RejectionTracker();
        Promise<Object> inTime = new Promise<>(null), first = new Promise<>(null), second = new Promise<>(null);
        tracker.rejectedWithNoHandler(inTime); // id 1
        tracker.handlerAdded(inTime);
        tracker.rejectedWithNoHandler(first); // id 2
        tracker.rejectedWithNoHandler(second); // id 3
        List<Promise<?>> reported = new ArrayList<>();
        List<String> late = new ArrayList<>();
        tracker.process(reporter(reported, late));
        assertEquals(List.of(first, second), reported);
        tracker.handlerAdded(second);
        tracker.handlerAdded(first);
        tracker.handlerAdded(first); // a second handler is no news
        assertTrue(tracker.hasPending());
        Promise<Object> third = new Promise<>(null);
        tracker.rejectedWithNoHandler(third); // id 4
        tracker.process(reporter(reported, late));
        assertEquals(List.of("id 3", "id 2"), late);
        assertEquals(List.of(first, second, third), reported);
        assertFalse(tracker.hasPending());
    }

    private static RejectionTracker.Reporter reporter(List<Promise<?>> reported, List<String> late) {
        return new RejectionTracker.Reporter() {
            @Override
            public void unhandled(Object reason, Promise<?> promise) {
                reported.add(promise);
            }

            @Override
            public void handledLate(Promise<?> promise, long id) {
                late.add("id " + id);
            }
        };
    }
}
