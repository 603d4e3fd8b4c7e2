package loopbench.bench.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MG1Test {
    @Test
    void exponentialServiceGivesTheMM1Formula() {
        double s = 0.002;
        MG1 q = new MG1(s, 2 * s * s);
        for (double rho : new double[] {0.1, 0.5, 0.8, 0.95}) {
            assertEquals(s / (1 - rho), q.meanResponse(q.arrivalRateFor(rho)), 1e-12);
        }
    }

    @Test
    void deterministicServiceWaitsHalfAsLong() {
        double s = 0.001;
        MG1 q = new MG1(s, s * s);
        assertEquals(0.8 * s / (2 * 0.2), q.meanWait(q.arrivalRateFor(0.8)), 1e-12);
    }

    /** The formula against a simulated queue (Lindley's recursion) with cpu-blocking's service mix. */
    @Test
    void agreesWithASimulatedQueueOfTheCpuBlockingMix() {
        double heavy = 5e-3, light = 20e-6, share = 0.02;
        double mean = share * heavy + (1 - share) * light;
        double second = share * heavy * heavy + (1 - share) * light * light;
        MG1 q = new MG1(mean, second);
        for (double rho : new double[] {0.5, 0.8}) {
            double lambda = q.arrivalRateFor(rho);
            SplittableRandom rnd = new SplittableRandom(42);
            double wait = 0, sum = 0;
            int n = 2_000_000;
            double prevService = 0;
            for (int i = 0; i < n; i++) {
                double gap = -Math.log(1 - rnd.nextDouble()) / lambda;
                wait = Math.max(0, wait + prevService - gap);
                double service = rnd.nextDouble() < share ? heavy : light;
                sum += wait + service;
                prevService = service;
            }
            double simulated = sum / n, predicted = q.meanResponse(lambda);
            assertEquals(predicted, simulated, predicted * 0.05, "rho " + rho);
        }
    }

    @Test
    void anUnstableQueueHasNoMean() {
        MG1 q = new MG1(0.001, 0.000001);
        assertThrows(IllegalArgumentException.class, () -> q.meanResponse(1_000));
        assertThrows(IllegalArgumentException.class, () -> new MG1(0.001, 0.0000001));
    }
}
