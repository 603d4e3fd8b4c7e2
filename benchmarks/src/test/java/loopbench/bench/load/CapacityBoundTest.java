package loopbench.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import loopbench.core.CapacityBound;
import loopbench.core.CapacityBound.Demand;
import loopbench.core.EventLoops;
import org.junit.jupiter.api.Test;

/** Each runtime's model bound, as its provider states it, on the demands of the named loads. */
class CapacityBoundTest {
    private static final double US = 1e-6;
    private static final double MS = 1e-3;

    private static CapacityBound bound(String runtime, Demand d) {
        return EventLoops.provider(runtime).capacityBound(d);
    }

    @Test
    void cpuOnTheLoopIsBoundByTheLoopsOneCallbackAtATime() {
        // cpu-blocking: 2% x 5 ms + 98% x 20 us = 119.6 us on the loop; 2 loops on 4 cores
        Demand d = new Demand(119.6 * US, 0, 0, 2, 4, 0, 0);
        for (String runtime : EventLoops.names()) {
            assertEquals(2 / (119.6 * US), bound(runtime, d).perSecond(), 1e-6, runtime);
            assertTrue(
                    bound(runtime, d).limit().contains("2 loops"),
                    bound(runtime, d).limit());
        }
    }

    @Test
    void onFewerCoresThanLoopsTheCoresBind() {
        Demand d = new Demand(100 * US, 0, 0, 4, 2, 0, 0);
        for (String runtime : EventLoops.names()) {
            assertEquals(2 / (100 * US), bound(runtime, d).perSecond(), 1e-6, runtime);
            assertTrue(
                    bound(runtime, d).limit().contains("2 cores"),
                    bound(runtime, d).limit());
        }
    }

    @Test
    void threadpoolHoldsAPoolThreadThroughTheIoWaitAndLosesTheThreadsItsReadsHold() {
        // io-heavy over tcp: 10 us CPU, 3 x 5 ms backend calls; 2 loops x 4 connections each hold a read
        Demand d = new Demand(10 * US, 0, 15 * MS, 2, 2, 0, 4);
        CapacityBound tp = bound("threadpool", d);
        assertEquals((64 - 8) / (15 * MS + 10 * US), tp.perSecond(), 1e-6);
        assertTrue(tp.limit().contains("64 pool threads - 8 held by I/O"), tp.limit());
        assertEquals(
                (32 - 8) / (15 * MS + 10 * US),
                bound("threadpool", withThreads(d, 32)).perSecond(),
                1e-6);
        // loom and loop wait for I/O without a thread: the loops bind
        assertEquals(2 / (10 * US), bound("loom", d).perSecond(), 1e-6);
        assertEquals(2 / (10 * US), bound("loop", d).perSecond(), 1e-6);
    }

    @Test
    void loopRunsOffloadedWorkOnEachLoopsFixedWorkers() {
        // mixed: 10% x 2 ms offloaded = 200 us off the loop per request, 45 us on it; 4 loops, 64 cores
        Demand d = new Demand(45 * US, 200 * US, 10 * MS, 4, 64, 0, 0);
        CapacityBound loop = bound("loop", d);
        assertEquals(4 * 4 / (200 * US), loop.perSecond(), 1e-6);
        assertTrue(loop.limit().contains("worker threads"), loop.limit());
        // loom's offloads are virtual threads on the cores: the loops bind
        assertEquals(4 / (45 * US), bound("loom", d).perSecond(), 1e-6);
    }

    @Test
    void aDemandWithoutTimeOnTheLoopIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Demand(0, 0, 0, 1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Demand(1 * US, 0, 0, 0, 1, 0, 0));
    }

    private static Demand withThreads(Demand d, int threads) {
        return new Demand(
                d.loopSeconds(),
                d.offloadSeconds(),
                d.ioWaitSeconds(),
                d.loops(),
                d.cores(),
                threads,
                d.ioThreadsPerLoop());
    }
}
