package loopbench.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import loopbench.bench.backend.SimulatedBackend;
import loopbench.core.EventLoop;
import loopbench.core.EventLoops;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one handler runs on every runtime: chained on loop, blocking await on loom and threadpool. */
class RequestHandlerTest {
    @ParameterizedTest
    @ValueSource(strings = {"loop", "loom", "threadpool"})
    void everyRequestSettlesFulfilledAfterItsBackendCalls(String runtime) {
        RequestHandler h = new RequestHandler(new LoadSpec("mixed", 0.5, 300, 20, true, false, 2, 3));
        List<Boolean> rejected = new ArrayList<>();
        long[] took = new long[1];
        try (EventLoop loop = EventLoops.create(runtime)) {
            long t0 = System.nanoTime();
            // run() returns when nothing is pending: every request has settled by then
            SimulatedBackend backend = new SimulatedBackend(loop);
            loop.run(() -> {
                for (int i = 0; i < 20; i++) {
                    h.handle(loop, backend, i % 2 == 0).whenSettled((v, r) -> rejected.add(r));
                }
            });
            took[0] = System.nanoTime() - t0;
        }
        assertEquals(20, rejected.size());
        assertTrue(rejected.stream().noneMatch(r -> r), "none rejected");
        assertTrue(took[0] >= 6_000_000L, "two sequential 3 ms backend calls take at least 6 ms: " + took[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop", "loom", "threadpool"})
    void theLagProbeSeesABlockedLoop(String runtime) {
        LagProbe[] probe = new LagProbe[1];
        BusyWork.iterationsPerMicro(); // calibrated before the loop runs
        try (EventLoop loop = EventLoops.create(runtime)) {
            loop.run(() -> {
                probe[0] = new LagProbe(loop, 10, Long.MAX_VALUE);
                probe[0].start();
                loop.setTimeout(() -> BusyWork.burn(40_000), 2);   // holds the loop for 40 ms
                loop.setTimeout(() -> probe[0].stop(), 120);
                loop.setTimeout(() -> { }, 121);
            });
        }
        LagProbe p = probe[0];
        assertTrue(p.calibrated(), "found the loop clock's phase");
        long max = 0;
        for (int i = 0; i < p.count(); i++) max = Math.max(max, p.lagAt(i));
        assertTrue(max >= 25_000_000L, "a 40 ms callback makes the 10 ms probe at least 25 ms late: " + max);
        assertTrue(p.count() >= 5, "samples: " + p.count());
    }
}
