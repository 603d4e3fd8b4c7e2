package loopbench.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import loopbench.core.EventLoop;
import loopbench.core.EventLoops;
import loopbench.core.Immediate;
import loopbench.core.LoopOptions;
import loopbench.core.Promise;
import loopbench.core.Timeout;
import loopbench.core.testing.AllRuntimes;

/**
 * The handle and process-event parts of the EventLoop contract, on every runtime: immediates'
 * ref/unref/hasRef, timers' hasRef/refresh, Node's TimeoutOverflowWarning and 'rejectionHandled'.
 * Orders come from the loop's own log (timers of one list run FIFO), never from sleeps.
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessAndHandleTckTest {
    private static EventLoop loop(String runtime) {
        return EventLoops.create(runtime, LoopOptions.DEFAULTS.withCloseTimeoutMillis(3_000));
    }

    /** An unref'd immediate runs while a timer keeps the loop alive, and never once nothing does. */
    @AllRuntimes
    void anUnrefdImmediateRunsOnlyWhileSomethingElseKeepsTheLoopAlive(String rt) {
        List<String> log = new ArrayList<>();
        try (EventLoop loop = loop(rt)) {
            loop.run(() -> {
                Immediate kept = loop.setImmediate(() -> log.add("unref'd, the timer keeps the loop"));
                loop.setRefed(kept, false);
                assertFalse(kept.hasRef());
                loop.setTimeout(
                        () -> {
                            log.add("timer");
                            Immediate last = loop.setImmediate(() -> log.add("never: nothing else is left"));
                            loop.setRefed(last, false);
                        },
                        5);
                Immediate refed = loop.setImmediate(() -> log.add("refed"));
                loop.setRefed(refed, false);
                loop.setRefed(refed, true);
                assertTrue(refed.hasRef());
            });
        }
        assertEquals(List.of("unref'd, the timer keeps the loop", "refed", "timer"), log);
    }

    /**
     * With only an unref'd immediate queued, the poll phase waits for the timer (Node's immediate idle
     * handle is stopped at refcount 0, so uv__backend_timeout is the timer's): the immediate's 5 ms
     * timer comes after the 20 ms one. On loom and threadpool the wait used to end at once, since a
     * park may return early (a permit left by a token hand-off), and the poll did not park again as
     * uv__io_poll does (its update_timeout: recompute what is left and wait again). Fuzz seed 8100400.
     */
    @AllRuntimes
    void thePollPhaseWaitsForTheTimerWhileOnlyAnUnrefdImmediateIsQueued(String rt) {
        List<String> log = new ArrayList<>();
        try (EventLoop loop = loop(rt)) {
            loop.run(() -> {
                Immediate i = loop.setImmediate(() -> loop.setTimeout(() -> log.add("immediate's 5 ms timer"), 5));
                loop.setRefed(i, false);
                loop.setTimeout(() -> log.add("20 ms timer"), 20);
            });
        }
        assertEquals(List.of("20 ms timer", "immediate's 5 ms timer"), log);
    }

    /** refresh() appends the timer to its list again; one that fired runs again; a cleared one does not. */
    @AllRuntimes
    void refreshReArmsAtTheEndOfItsList(String rt) {
        List<String> log = new ArrayList<>();
        try (EventLoop loop = loop(rt)) {
            loop.run(() -> {
                Timeout a = loop.setTimeout(() -> log.add("a"), 1);
                loop.setTimeout(() -> log.add("b"), 1);
                loop.refresh(a);
                Timeout cleared = loop.setTimeout(() -> log.add("never: cleared"), 1);
                loop.clearTimeout(cleared);
                loop.refresh(cleared);
                loop.setTimeout(() -> loop.refresh(a), 2); // a fired: armed again
            });
        }
        assertEquals(List.of("b", "a", "a"), log);
    }

    /** One TimeoutOverflowWarning per call above 2^31-1, delivered on the next tick; the timer is 1 ms. */
    @AllRuntimes
    void aDelayAboveTimeoutMaxWarnsOnTheNextTickAndIsOneMs(String rt) {
        List<String> log = new ArrayList<>();
        try (EventLoop loop = loop(rt)) {
            loop.onWarning(w -> log.add(w.toString()));
            loop.run(() -> {
                loop.setTimeout(() -> log.add("fired"), 4294967296.5);
                loop.clearInterval(loop.setInterval(() -> log.add("never"), Math.pow(2, 31)));
                loop.nextTick(() -> log.add("tick"));
            });
        }
        String tail = " does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.";
        assertEquals(
                List.of(
                        "TimeoutOverflowWarning: 4294967296.5" + tail,
                        "TimeoutOverflowWarning: 2147483648" + tail,
                        "tick",
                        "fired"),
                log);
    }

    /**
     * A handler added to a reported rejection: 'rejectionHandled' at the next check, before new reports;
     * with no listener, a PromiseRejectionHandledWarning naming the rejection's id (every rejection
     * without a handler counts, the one handled in time too).
     */
    @AllRuntimes
    void aRejectionHandledLateIsEmittedOrWarnedWithItsId(String rt) {
        for (boolean listening : new boolean[] {true, false}) {
            List<String> log = new ArrayList<>();
            try (EventLoop loop = loop(rt)) {
                loop.onUnhandledRejection((reason, p) -> log.add("unhandled " + reason));
                loop.onWarning(w -> log.add(w.toString()));
                if (listening) loop.onRejectionHandled(p -> log.add("rejectionHandled " + p.result()));
                loop.run(() -> {
                    loop.rejected("in time").catchError(e -> null);
                    Promise<Object> late = loop.rejected("late");
                    loop.setTimeout(
                            () -> {
                                late.catchError(e -> null);
                                loop.rejected("new");
                            },
                            1);
                });
            }
            String handled = listening
                    ? "rejectionHandled late"
                    : "PromiseRejectionHandledWarning: Promise rejection was handled asynchronously (rejection id: 2)";
            List<String> expected = listening
                    ? List.of("unhandled late", handled, "unhandled new")
                    : List.of("unhandled late", "unhandled new", handled);
            assertEquals(expected, log, listening ? "with a listener" : "without");
        }
    }
}
