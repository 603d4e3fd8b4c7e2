package loopbench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The check phase's ring against a reference model (a FIFO of ids and a set of cleared ones), over
 * random adds, clears and check phases that run a snapshot while more immediates arrive, so the
 * ring wraps and grows with live and cleared entries in it.
 */
class ImmediateQueueTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void runsWhatWasNotClearedOnceInOrderWithinItsSnapshot(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ImmediateQueue q = new ImmediateQueue();
        ArrayDeque<Integer> model = new ArrayDeque<>();
        Set<Integer> cleared = new HashSet<>();
        List<Long> seqs = new ArrayList<>();
        List<Integer> ran = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        int next = 0;
        for (int round = 0; round < 2_000; round++) {
            int adds = rnd.nextInt(200);
            for (int k = 0; k < adds; k++) next = add(q, model, seqs, ran, next);
            for (int k = rnd.nextInt(20); k > 0 && next > 0; k--) {
                int victim = rnd.nextInt(next);
                q.clear(seqs.get(victim));
                if (model.contains(victim)) cleared.add(victim);
                assertFalse(q.isPending(seqs.get(victim)));
            }
            // a check phase: runs its snapshot; callbacks add more, which wait for the next phase
            assertEquals(model.size(), q.size(), "entries queued, cleared ones included");
            int snapshot = model.size();
            for (int k = 0; k < snapshot; k++) {
                int id = model.poll();
                if (!cleared.remove(id)) expected.add(id);
            }
            for (long n = q.size(); n > 0; n--) {
                Runnable r = q.take();
                if (r != null) r.run();
                if (rnd.nextInt(4) == 0) next = add(q, model, seqs, ran, next);
            }
            assertEquals(expected, ran, "seed " + seed + ", round " + round);
            assertEquals(!model.isEmpty() && !cleared.containsAll(model), q.hasPending());
        }
    }

    /** A queue used up to a chunk's last slot forgets its chunks and numbers on from where it was. */
    @org.junit.jupiter.api.Test
    void aQueueEmptiedAtAChunkBoundaryGoesOnNumbering() {
        ImmediateQueue q = new ImmediateQueue();
        int[] ran = {0};
        for (int round = 1; round <= 3; round++) {
            for (int i = 0; i < 2048; i++) q.add(() -> ran[0]++);
            for (long n = q.size(); n > 0; n--) q.take().run();
            assertEquals(0, q.size());
            assertFalse(q.hasPending());
            assertEquals(2048L * round, ran[0]);
        }
        long seq = q.add(() -> ran[0]++);
        assertEquals(3 * 2048L, seq);
        assertEquals(1, q.size());
        org.junit.jupiter.api.Assertions.assertTrue(q.isPending(seq));
        assertFalse(q.isPending(seq - 1), "an immediate that ran is not pending");
        q.clear(seq);
        assertFalse(q.hasPending());
        assertEquals(null, q.take(), "a cleared entry is taken as null");
        assertEquals(0, q.size());
    }

    private static int add(ImmediateQueue q, ArrayDeque<Integer> model, List<Long> seqs, List<Integer> ran, int id) {
        seqs.add(q.add(() -> ran.add(id)));
        model.add(id);
        return id + 1;
    }

    /** The ref count against a model: queued, not cleared, not unref'd; unref'd ones still run. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void keepsTheLoopAliveExactlyWhileARefedOneIsQueued(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ImmediateQueue q = new ImmediateQueue();
        List<Long> queued = new ArrayList<>();
        Set<Long> unrefed = new HashSet<>();
        for (int round = 0; round < 3_000; round++) {
            switch (rnd.nextInt(4)) {
                case 0 -> queued.add(q.add(() -> {}));
                case 1 -> { // unref or ref one
                    if (!queued.isEmpty()) {
                        long seq = queued.get(rnd.nextInt(queued.size()));
                        boolean ref = rnd.nextBoolean();
                        q.setRefed(seq, ref);
                        if (ref) unrefed.remove(seq);
                        else unrefed.add(seq);
                    }
                }
                case 2 -> { // clear one
                    if (!queued.isEmpty()) {
                        long seq = queued.remove(rnd.nextInt(queued.size()));
                        q.clear(seq);
                        unrefed.remove(seq);
                    }
                }
                default -> { // a check phase takes some
                    for (int k = rnd.nextInt(5); k > 0 && q.size() > 0; k--) {
                        if (q.take() != null) unrefed.remove(queued.remove(0));
                    }
                }
            }
            assertEquals(queued.size() > unrefed.size(), q.hasRefed(), "round " + round);
            for (long seq : queued) assertEquals(!unrefed.contains(seq), q.hasRef(seq));
        }
    }
}
