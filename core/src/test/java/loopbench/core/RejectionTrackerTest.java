package loopbench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The unhandled-rejection queue keeps nothing once every rejection in it has been handled. */
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
        tracker.process((reason, p) -> reported.add(p));
        assertEquals(List.of(unhandled), reported);
        assertEquals(0, tracker.queued());
    }
}
