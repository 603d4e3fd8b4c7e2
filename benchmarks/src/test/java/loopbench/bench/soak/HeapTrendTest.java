package loopbench.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The flat-heap verdict on synthetic samples: 10 minutes, one sample every 5 s. */
class HeapTrendTest {
    private static final int N = 120;
    private static final long MIB = 1L << 20;

    /** {@code base + perMinute * t + noise}, with a warm-up ramp in the first quarter. */
    private static HeapTrend trend(long base, double perMinute, long noise, boolean warmup) {
        SplittableRandom rnd = new SplittableRandom(7);
        double[] t = new double[N];
        long[] heap = new long[N];
        for (int i = 0; i < N; i++) {
            t[i] = 5.0 * (i + 1);
            double ramp = warmup && i < N / 4 ? 4.0 * MIB * (N / 4 - i) / (N / 4) : 0; // warm-up above the steady level
            heap[i] = base + Math.round(perMinute * t[i] / 60 + ramp) + (noise > 0 ? rnd.nextLong(-noise, noise) : 0);
        }
        return HeapTrend.of(t, heap);
    }

    @Test
    void aNoisyFlatHeapIsFlatWhateverTheWarmUp() {
        HeapTrend h = trend(20 * MIB, 0, 200_000, true);
        assertTrue(h.flat(), h.explanation());
        assertEquals(N, h.samples());
        assertTrue(Math.abs(h.growthBytes()) < 400_000, h.explanation());
    }

    @Test
    void aSteadyLeakIsGrowing() {
        HeapTrend h = trend(20 * MIB, 1.0 * MIB, 100_000, false); // 1 MiB a minute
        assertFalse(h.flat(), h.explanation());
        assertTrue(h.explanation().startsWith("GROWING"), h.explanation());
        assertEquals(10.0 * MIB, h.projectedBytesPer10Minutes(), 0.5 * MIB);
    }

    @Test
    void aSlowLeakUnderTheMedianAllowanceIsCaughtByTheSlope() {
        // 0.15 MiB/min: the medians of Q2 and Q4, 5 minutes apart, differ by about 0.75 MiB (under 1 MiB),
        // but 1.5 MiB per 10 minutes is over the allowance
        HeapTrend h = trend(10 * MIB, 0.15 * MIB, 0, false);
        assertTrue(h.growthBytes() <= h.allowanceBytes(), h.explanation());
        assertFalse(h.flat(), h.explanation());
    }

    @Test
    void theAllowanceIsFivePercentOfALargeHeap() {
        HeapTrend h = trend(100 * MIB, 0, 0, false);
        assertEquals(5 * MIB, h.allowanceBytes());
        assertTrue(h.flat());
    }

    @Test
    void tooFewSamplesAreNeverFlat() {
        HeapTrend h = HeapTrend.of(new double[] {1, 2, 3}, new long[] {1, 1, 1});
        assertFalse(h.flat());
        assertTrue(h.explanation().contains("at least " + HeapTrend.MIN_SAMPLES), h.explanation());
        assertThrows(IllegalArgumentException.class, () -> HeapTrend.of(new double[2], new long[3]));
    }
}
