package loopbench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RankTestTest {
    @Test
    void fullySeparatedSmallSamplesGetTheExactPValue() {
        // all 3 below all 3: 1 ordering of C(6,3) = 20 in each tail, two-sided 2/20
        assertEquals(
                0.1, RankTest.of(new double[] {1, 2, 3}, new double[] {4, 5, 6}).p(), 1e-12);
        assertEquals(
                2.0 / 252,
                RankTest.of(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10})
                        .p(),
                1e-12);
        assertEquals(
                0.1, RankTest.of(new double[] {1, 2, 3}, new double[] {4, 5, 6}).minP(), 1e-12);
    }

    @Test
    void interleavedSamplesAreNotSignificant() {
        RankTest.Result r = RankTest.of(new double[] {1, 3, 5, 7, 9}, new double[] {2, 4, 6, 8, 10});
        assertTrue(r.p() > 0.5, "p=" + r.p());
    }

    @Test
    void largeOrTiedSamplesUseTheNormalApproximation() {
        Random random = new Random(7);
        double[] a = new double[30];
        double[] b = new double[30];
        for (int i = 0; i < 30; i++) {
            a[i] = Math.round(random.nextGaussian());
            b[i] = Math.round(random.nextGaussian()) + 3;
        }
        assertTrue(RankTest.of(a, b).p() < 1e-6);
    }

    @Test
    void fewerThanTwoSamplesOnASideIsNoTest() {
        assertNull(RankTest.of(new double[] {1}, new double[] {2, 3}));
        assertNull(RankTest.of(new double[] {1, Double.NaN}, new double[] {2, 3}));
    }

    @Test
    void signedRankIsExact() {
        // 8 differences of one sign: 1 pattern of 2^8 in each tail
        assertEquals(
                2.0 / 256,
                RankTest.signedRank(new double[] {1, 2, 3, 4, 5, 6, 7, 8}).p(),
                1e-12);
        // only the smallest negative: W+ = 35 of 36, 2 patterns (W+ 35 and 36) in the tail
        assertEquals(
                4.0 / 256,
                RankTest.signedRank(new double[] {-1, 2, 3, 4, 5, 6, 7, 8}).p(),
                1e-12);
        // zeros carry no sign and are dropped; tied magnitudes share their rank
        RankTest.Result tied = RankTest.signedRank(new double[] {0, 2, -2, 3, -3, 4, -4});
        assertEquals(6, tied.n());
        assertEquals(1.0, tied.p(), 1e-12);
        assertNull(RankTest.signedRank(new double[] {0, 5}));
    }
}
