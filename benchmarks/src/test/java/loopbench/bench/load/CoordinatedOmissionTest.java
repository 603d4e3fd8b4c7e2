package loopbench.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * A system that stalls once for 50 ms while requests keep arriving every millisecond. A closed-loop
 * measurement (uncorrected: completion - actual start) sees one slow request; the truth is that
 * the 49 requests due during the stall waited too. All on a fake clock: no threads, no sleeps.
 */
class CoordinatedOmissionTest {
    private static final long MS = 1_000_000L;

    @Test
    void correctedHistogramShowsTheBacklogOfAStallAndUncorrectedDoesNot() {
        FakeClock clock = new FakeClock();
        LatencyRecorder rec = new LatencyRecorder(clock);
        LatencySink.Owned sink = rec.ownedSink(null);
        int[] seen = {0};
        // a direct executor: request 50 stalls the system (and so the caller) for 50 ms, the others take no time
        OpenLoopGenerator.Target stallsOnce = r -> {
            r.sink = sink;
            if (seen[0]++ == 50) clock.advance(50 * MS);
            sink.complete(r, true);
        };
        OpenLoopGenerator g = new OpenLoopGenerator(
                Arrivals.constant(1000),
                1000 * MS,
                stallsOnce,
                null,
                rec,
                10_000,
                0,
                1,
                clock,
                50_000,
                MS,
                Long.MAX_VALUE);
        g.run(0);

        PointHistograms taken = new PointHistograms();
        sink.takeInto(taken, true);
        Histogram corrected = taken.corrected;
        Histogram uncorrected = taken.uncorrected;
        assertEquals(1000, g.issued, "an open loop issues every scheduled request, stall or not");
        assertEquals(1000, corrected.getTotalCount());
        assertEquals(1000, uncorrected.getTotalCount());

        // uncorrected: the stalled request alone is slow
        assertEquals(1, countAtLeast(uncorrected, MS));
        assertEquals(50 * MS, uncorrected.getMaxValue(), 50 * MS / 1000.0);
        assertEquals(0, uncorrected.getValueAtPercentile(99));

        // corrected: the stalled request (50 ms) plus the 49 due during the stall (49, 48, ... 1 ms)
        assertEquals(50, countAtLeast(corrected, MS));
        assertEquals(50 * MS, corrected.getMaxValue(), 50 * MS / 1000.0);
        assertTrue(
                corrected.getValueAtPercentile(99) >= 40 * MS,
                "p99 shows the backlog: " + corrected.getValueAtPercentile(99));
        double expectedMean = (50 + 49 * 50 / 2.0) * MS / 1000; // (50 + sum 1..49) ms over 1000 requests
        assertEquals(expectedMean, corrected.getMean(), expectedMean * 0.01);

        // the generator saw it: requests sent more than 1 ms late are the 48 due 2..49 ms before the stall ended
        assertEquals(48, g.lateStarts);
        assertEquals(49 * MS, g.startDelay.getMaxValue(), 49 * MS / 1000.0);
    }

    @Test
    void atTheInFlightLimitTheGeneratorWaitsAndGivesUpWhenNothingCompletes() {
        FakeClock clock = new FakeClock();
        clock.tick = 1_000; // time moves 1 us per reading, so the stall detector sees time pass
        LatencyRecorder rec = new LatencyRecorder(clock);
        LatencySink.Owned sink = rec.ownedSink(null);
        OpenLoopGenerator.Target neverCompletes = r -> r.sink = sink;
        OpenLoopGenerator g = new OpenLoopGenerator(
                Arrivals.constant(1000), 1000 * MS, neverCompletes, null, rec, 5, 0, 1, clock, 50_000, MS, MS / 5);
        g.run(0);
        assertEquals(5, g.issued, "no sixth request while five are in flight");
        assertEquals(1, g.limitWaits);
        assertTrue(g.stalled);
        assertEquals(5, g.inFlight());
    }

    private static long countAtLeast(Histogram h, long value) {
        long n = 0;
        for (var v : h.recordedValues()) {
            if (v.getValueIteratedTo() >= value) n += v.getCountAtValueIteratedTo();
        }
        return n;
    }
}
