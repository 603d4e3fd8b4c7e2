package loopbench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Node's timer store against a reference model, over random schedules with random cancellation
 * (property-based: many seeds, up to a million pending timers). The model is what any correct
 * timer list must do: each timer that was not cleared fires exactly once, never before its due
 * time, never a batch late, and timers of one duration fire in the order they were scheduled.
 */
class TimerListPropertyTest {
    private static final int[] DURATIONS = {1, 2, 5, 10, 25, 100, 1000};

    @ParameterizedTest(name = "seed {0}: {1} timers")
    @CsvSource({"1, 2000", "2, 20000", "3, 50000", "4, 1000000"})
    void matchesTheReferenceModel(long seed, int count) {
        SplittableRandom rnd = new SplittableRandom(seed);
        TimerList list = new TimerList();
        List<Timeout> all = new ArrayList<>(count);
        Map<Timeout, Integer> order = new HashMap<>(count * 2);
        long[] start = new long[count];
        boolean[] cleared = new boolean[count];
        int[] fired = new int[count];
        long[] firedAt = new long[count];
        int[] lastFiredPerDuration = new int[DURATIONS.length];
        java.util.Arrays.fill(lastFiredPerDuration, -1);
        long[] now = {0};

        for (int i = 0; i < count; i++) {
            int id = i;
            int d = DURATIONS[rnd.nextInt(DURATIONS.length)];
            Timeout t = new Timeout(
                    () -> {
                        fired[id]++;
                        firedAt[id] = now[0];
                    },
                    d,
                    false);
            if (rnd.nextInt(4) == 0) now[0] += rnd.nextInt(3); // time moves while scheduling
            start[i] = now[0];
            list.schedule(t, now[0]);
            all.add(t);
            order.put(t, i);
            if (rnd.nextInt(3) == 0) { // clear a random earlier one
                int victim = rnd.nextInt(i + 1);
                list.unenroll(all.get(victim));
                cleared[victim] = true;
            }
            if (rnd.nextInt(1000) == 0) process(list, now, rnd, order, lastFiredPerDuration, start);
        }
        while (list.hasRefed()) process(list, now, rnd, order, lastFiredPerDuration, start);

        int live = 0;
        for (int i = 0; i < count; i++) {
            int d = all.get(i).msecs;
            if (cleared[i] && fired[i] == 0) continue;
            if (!cleared[i]) live++;
            assertEquals(1, fired[i], "timer " + i + " fired " + fired[i] + " times");
            assertTrue(firedAt[i] >= start[i] + d, "timer " + i + " fired early");
        }
        assertTrue(live > 0);
        assertEquals(0, list.refCount(), "every pending timer released");
        assertEquals(Long.MAX_VALUE, list.nextExpiry(), "no list left in the heap");
    }

    /** One batch at a random later time; checks no due timer is left behind and per-duration FIFO. */
    private static void process(
            TimerList list,
            long[] now,
            SplittableRandom rnd,
            Map<Timeout, Integer> order,
            int[] lastFired,
            long[] start) {
        now[0] += 1 + rnd.nextInt(30);
        long batch = now[0];
        list.processTimers(batch, new TimerList.Runner() {
            @Override
            public void runNextTicks() {}

            @Override
            public void fire(Timeout t) {
                int i = order.get(t);
                int slot = java.util.Arrays.binarySearch(DURATIONS, t.msecs);
                assertTrue(
                        i > lastFired[slot],
                        "FIFO within duration " + t.msecs + ": " + i + " after " + lastFired[slot]);
                lastFired[slot] = i;
                t.callback.run();
            }

            @Override
            public long now() {
                return batch;
            }
        });
        // nothing due at `batch` may be left pending: the next expiry is in the future
        assertTrue(list.nextExpiry() > batch, "a due timer was left for a later batch");
    }
}
