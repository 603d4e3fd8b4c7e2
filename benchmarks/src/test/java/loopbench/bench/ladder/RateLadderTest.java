package loopbench.bench.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RateLadderTest {
    @Test
    void theGridHasSevenRatesPerDecade() {
        assertEquals(1.0, RateLadder.gridRate(0));
        assertEquals(10_000.0, RateLadder.gridRate(28));
        assertEquals(14_000.0, RateLadder.gridRate(29));
        assertEquals(7_200.0, RateLadder.gridRate(27));
        assertEquals(0.72, RateLadder.gridRate(-1));
        assertEquals(28, RateLadder.ceilIndex(10_000));
        assertEquals(29, RateLadder.ceilIndex(10_001));
        assertEquals(0, RateLadder.ceilIndex(1));
    }

    @Test
    void aLadderReachesPastTheFastestAndGivesTheSlowestItsPoints() {
        // The estimates of the io-heavy quick run that put threadpool and loop 76x apart.
        RateLadder ladder = RateLadder.spanning(1_323, 100_800, 5);
        List<Double> r = ladder.rates();
        assertEquals(List.of(520.0, 720.0, 1_000.0, 1_400.0, 1_900.0), r.subList(0, 5));
        assertEquals(140_000.0, r.get(r.size() - 1));
        assertEquals(18, r.size()); // 7 per decade from 520 to 140,000
    }

    @Test
    void everyLadderHoldsItsPromisesForRandomEstimates() {
        SplittableRandom rnd = new SplittableRandom(16);
        for (int i = 0; i < 10_000; i++) {
            double slow = Math.pow(10, rnd.nextDouble(1, 6));
            double fast = slow * Math.pow(10, rnd.nextDouble(0, 2));
            int points = rnd.nextInt(1, 12);
            List<Double> r = RateLadder.spanning(slow, fast, points).rates();
            for (int k = 1; k < r.size(); k++) assertTrue(r.get(k) > r.get(k - 1), "ascending");
            double top = r.get(r.size() - 1);
            assertTrue(top >= fast * RateLadder.PAST, "reaches past the fastest estimate");
            assertTrue(
                    r.size() == 1 || r.get(r.size() - 2) < fast * RateLadder.PAST,
                    "and stops at the first rate past it");
            long atOrBelowSlow =
                    r.stream().filter(x -> x < slow * RateLadder.PAST).count() + 1;
            assertTrue(atOrBelowSlow >= points, "the slowest runtime gets its points: " + r + " for " + slow);
            for (double x : r) assertEquals(RateLadder.gridRate(RateLadder.ceilIndex(x)), x, "a grid rate");
        }
    }

    @Test
    void aCappedLadderKeepsTheSlowestsRatesAndThinsOnlyAbove() {
        RateLadder ladder = RateLadder.spanning(1_323, 100_800, 5, 10);
        assertEquals(
                List.of(520.0, 720.0, 1_000.0, 1_400.0, 1_900.0, 2_700.0, 7_200.0, 19_000.0, 52_000.0, 140_000.0),
                ladder.rates());
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            double slow = Math.pow(10, rnd.nextDouble(1, 6));
            double fast = slow * Math.pow(10, rnd.nextDouble(0, 3));
            int points = rnd.nextInt(1, 12);
            int max = points + rnd.nextInt(1, 12);
            List<Double> capped = RateLadder.spanning(slow, fast, points, max).rates();
            List<Double> full = RateLadder.spanning(slow, fast, points).rates();
            assertTrue(capped.size() <= max, capped + " has more than " + max);
            assertEquals(full.subList(0, points), capped.subList(0, points), "the slowest's rates are all there");
            assertEquals(full.get(full.size() - 1), capped.get(capped.size() - 1), "and the top");
            assertTrue(full.containsAll(capped), "every rung a grid rate of the full ladder");
        }
    }

    @Test
    void runsWithSlightlyDifferentEstimatesOfferTheSameRates() {
        Set<Double> a = new HashSet<>(RateLadder.spanning(4_670, 11_200, 5).rates());
        List<Double> b = RateLadder.spanning(4_900, 10_400, 5).rates();
        assertTrue(a.containsAll(b.subList(1, b.size())), a + " vs " + b);
    }

    @Test
    void anExplicitLadderIsCheckedWithAClearMessage() {
        assertEquals(List.of(100.0, 250.5), RateLadder.of(List.of(100.0, 250.5)).rates());
        assertEquals(
                "rate 2 must be a positive number of requests per second, was -5.0",
                assertThrows(IllegalArgumentException.class, () -> RateLadder.of(List.of(1.0, -5.0)))
                        .getMessage());
        assertEquals(
                "rates must be given in ascending order without repeats, but rate 2 (1,000) follows 2,000",
                assertThrows(IllegalArgumentException.class, () -> RateLadder.of(List.of(2_000.0, 1_000.0)))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> RateLadder.of(List.of(Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> RateLadder.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> RateLadder.spanning(10, 5, 3));
    }

    @Test
    void theGridRateAboveARateIsTheNextOneUp() {
        assertEquals(140_000, RateLadder.gridRateAbove(100_000));
        assertEquals(190_000, RateLadder.gridRateAbove(140_000));
        assertEquals(10_000, RateLadder.gridRateAbove(7_200));
        assertEquals(1_400, RateLadder.gridRateAbove(1_234), "off the grid: the next grid rate");
    }
}
