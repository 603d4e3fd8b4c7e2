package loopbench.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ArrivalsTest {
    @Test
    void poissonGapsHaveTheMeanAndSpreadOfAnExponential() {
        double rate = 20_000;
        Arrivals a = Arrivals.poisson(rate, 42);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        double min = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            double g = a.nextGapNanos();
            sum += g;
            sumSq += g * g;
            min = Math.min(min, g);
        }
        double mean = sum / n;
        double sd = Math.sqrt(sumSq / n - mean * mean);
        double expected = 1e9 / rate;
        assertEquals(expected, mean, expected * 0.01, "mean inter-arrival within 1%");
        assertEquals(1.0, sd / mean, 0.02, "an exponential's coefficient of variation is 1");
        assertTrue(min >= 0);
    }

    @Test
    void theSeedFixesTheSequence() {
        assertArrayEquals(gaps(Arrivals.poisson(1000, 7), 100), gaps(Arrivals.poisson(1000, 7), 100));
        assertFalse(Arrays.equals(gaps(Arrivals.poisson(1000, 7), 100), gaps(Arrivals.poisson(1000, 8), 100)));
    }

    @Test
    void constantGapsAreExact() {
        Arrivals a = Arrivals.constant(4000);
        for (int i = 0; i < 10; i++) assertEquals(250_000.0, a.nextGapNanos());
        assertEquals("constant", a.kind());
        assertEquals("poisson", Arrivals.of("poisson", 1, 1).kind());
    }

    @Test
    void aRateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> Arrivals.constant(0));
        assertThrows(IllegalArgumentException.class, () -> Arrivals.poisson(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> Arrivals.of("bursty", 10, 1));
    }

    private static double[] gaps(Arrivals a, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) g[i] = a.nextGapNanos();
        return g;
    }
}
