package loopbench.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import loopbench.bench.backend.SimulatedBackend;
import loopbench.core.EventLoop;
import loopbench.core.EventLoops;
import loopbench.core.testing.AllRuntimes;

/**
 * Service time is the time a request's handler held its loop: its inline CPU work counts, its I/O
 * waits do not. Both bounds hold on a busy machine: the work is timed inside the stretch that holds
 * the loop, and a timer never fires early on the loop's clock.
 */
class ServiceTimeTest {
    /** Every request is heavy: 2 ms of CPU inline, then two backend calls of 10 ms each (timers). */
    private static final LoadSpec HELD =
            new LoadSpec("held", "test: inline work, then I/O", 1.0, 2_000, 0, false, false, 2, 10);

    @AllRuntimes
    void serviceCoversTheInlineWorkAndLeavesOutTheIoWaits(String runtime) {
        RequestHandler h = new RequestHandler(HELD);
        LatencyRecorder rec = new LatencyRecorder(NanoClock.SYSTEM);
        LatencySink.Owned sink = rec.ownedSink(null); // written by the loop, taken here after it ended
        List<Request> requests = new ArrayList<>();
        List<long[]> spans = new ArrayList<>(); // start and settlement, nanoTime
        try (EventLoop loop = EventLoops.create(runtime)) {
            SimulatedBackend backend = new SimulatedBackend(loop);
            loop.run(() -> {
                for (int i = 0; i < 4; i++) {
                    long now = System.nanoTime();
                    Request r = new Request(now, now, true, h);
                    r.loop = loop;
                    r.sink = sink;
                    r.backend = backend;
                    long[] span = {now, 0};
                    requests.add(r);
                    spans.add(span);
                    h.handle(loop, r).whenSettled((v, rejected) -> {
                        span[1] = System.nanoTime();
                        sink.complete(r, !rejected);
                    });
                }
            });
        }
        PointHistograms got = new PointHistograms();
        sink.takeInto(got, true);
        assertEquals(4, got.service.getTotalCount(), runtime + ": one service time per request");
        assertEquals(4, got.workHeavy.getTotalCount(), runtime + ": heavy work is recorded as heavy");
        assertEquals(0, got.workLight.getTotalCount());
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            long latency = spans.get(i)[1] - spans.get(i)[0];
            assertTrue(r.workNanos > 0, runtime + ": the work was timed");
            assertTrue(
                    r.serviceNanos >= r.workNanos,
                    runtime + ": the handler held the loop through its inline work: service " + r.serviceNanos
                            + " ns, work " + r.workNanos + " ns");
            // each 10 ms timer waits more than 9 ms of wall time (the loop clock truncates to whole ms); that wait
            // is not service
            assertTrue(
                    latency - r.serviceNanos > 2 * 9_000_000L,
                    runtime + ": the two backend waits are not service: latency " + latency + " ns, service "
                            + r.serviceNanos + " ns");
        }
    }
}
