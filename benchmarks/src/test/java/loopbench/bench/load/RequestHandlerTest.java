package loopbench.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import loopbench.bench.backend.SimulatedBackend;
import loopbench.core.EventLoop;
import loopbench.core.EventLoops;
import loopbench.core.testing.AllRuntimes;

/** The one handler runs on every runtime: chained on loop, blocking await on loom and threadpool. */
class RequestHandlerTest {
    @AllRuntimes
    void everyRequestSettlesFulfilledAfterItsBackendCalls(String runtime) {
        RequestHandler h = new RequestHandler(
                new LoadSpec("mixed", "test: half heavy, offloaded", 0.5, 300, 20, true, false, 2, 3));
        List<Boolean> rejected = new ArrayList<>();
        long[] loopMs = new long[2]; // loop.now() when the requests start and when the last settles
        try (EventLoop loop = EventLoops.create(runtime)) {
            // run() returns when nothing is pending: every request has settled by then
            SimulatedBackend backend = new SimulatedBackend(loop);
            loop.run(() -> {
                loopMs[0] = loop.now();
                for (int i = 0; i < 20; i++) {
                    h.handle(loop, backend, i % 2 == 0).whenSettled((v, r) -> {
                        rejected.add(r);
                        loopMs[1] = loop.now();
                    });
                }
            });
        }
        assertEquals(20, rejected.size());
        assertTrue(rejected.stream().noneMatch(r -> r), "none rejected");
        // on the loop's own clock a timer is never early, so two 3 ms calls in sequence take 6 loop ms
        assertTrue(
                loopMs[1] - loopMs[0] >= 6,
                "two sequential 3 ms backend calls take at least 6 loop ms: " + (loopMs[1] - loopMs[0]));
    }

    /**
     * What the probe guarantees however busy the machine is: no sample is taken while a callback
     * holds the loop; the sample due when the callback began reports at least how long the loop was
     * held past that due instant; and samples are at least an interval apart on the loop's clock, so
     * their count is bounded by the loop time the probe ran. How many samples a wall-clock window
     * holds is not asserted: a preempted loop takes fewer.
     */
    @AllRuntimes
    void theLagProbeSeesABlockedLoop(String runtime) {
        int intervalMs = 10;
        long holdNanos = 40_000_000L;
        LagProbe[] probe = new LagProbe[1];
        long[] block = new long[3]; // nanoTime the callback began and ended, and the due it found armed
        long[] loopMs = new long[2]; // loop.now() at start() and at stop()
        try (EventLoop loop = EventLoops.create(runtime)) {
            loop.run(() -> {
                probe[0] = new LagProbe(loop, intervalMs, Long.MAX_VALUE);
                probe[0].start();
                loopMs[0] = loop.now();
                loop.setTimeout(
                        () -> {
                            block[0] = System.nanoTime();
                            block[2] = probe[0].dueNanos();
                            long until =
                                    Math.max(block[0], block[2]) + holdNanos; // held 40 ms past the armed sample's due
                            while (System.nanoTime() - until < 0) Thread.onSpinWait();
                            block[1] = System.nanoTime();
                            // the overdue probe timer expired first, so it runs before this one (same timers phase or
                            // the next)
                            loop.setTimeout(
                                    () -> {
                                        probe[0].stop();
                                        loopMs[1] = loop.now();
                                    },
                                    3 * intervalMs);
                        },
                        2);
            });
        }
        LagProbe p = probe[0];
        int covering = -1;
        for (int i = 0; i < p.count(); i++) {
            long fired = p.timeAt(i);
            assertTrue(
                    fired - block[0] <= 0 || fired - block[1] >= 0,
                    "a sample taken while a callback held the loop, at " + i);
            if (covering < 0 && fired - block[1] >= 0) covering = i;
        }
        assertTrue(covering >= 0, "no sample after the blocked callback; samples: " + p.count());
        long due = p.timeAt(covering) - p.lagAt(covering);
        assertEquals(block[2], due, "the first sample after the block is the one that was armed during it");
        assertTrue(p.lagAt(covering) >= holdNanos, "held 40 ms past its due, the sample reports: " + p.lagAt(covering));
        for (int i = 1; i < p.count(); i++) {
            // re-armed at loop.now() + interval, and loop time is whole ms: never less than interval - 1 ms apart
            assertTrue(
                    p.timeAt(i) - p.timeAt(i - 1) > (intervalMs - 1) * 1_000_000L,
                    "samples " + (i - 1) + " and " + i + " too close");
        }
        assertTrue(
                p.count() <= (loopMs[1] - loopMs[0]) / intervalMs + 1,
                p.count() + " samples in " + (loopMs[1] - loopMs[0]) + " loop ms");
    }
}
