package loopbench.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import loopbench.bench.ladder.MG1;
import loopbench.bench.load.Validation.Measurement;
import loopbench.bench.load.Validation.Verdict;
import org.junit.jupiter.api.Test;

/** validate's verdict from injected measurements: no run, no clock. */
class ValidationTest {
    // cpu-blocking's nominal moments
    private static final double ES = 0.02 * 5e-3 + 0.98 * 20e-6;
    private static final double ES2 = 0.02 * 25e-6 + 0.98 * 400e-12;

    /** A point whose measured mean latency is {@code factor} times the P-K mean. */
    private static Measurement at(double rho, double factor, double busy) {
        double lambda = rho / ES;
        double pk = new MG1(ES, ES2).meanResponse(lambda);
        return new Measurement(rho, lambda, ES, ES2, pk * factor, busy, 0, 0, Double.NaN);
    }

    @Test
    void pointsWithinTheTolerancePass() {
        Verdict v = Validation.judge(List.of(at(0.5, 1.04, 0.5), at(0.8, 0.93, 0.8)), Validation.TOLERANCE);
        assertTrue(v.passed(), String.join("\n", v.lines()));
        assertEquals(3, v.lines().size(), "a header and one line per point, nothing to explain");
        assertTrue(v.lines().get(2).contains("-7.0%"), v.lines().get(2));
    }

    @Test
    void onePointOffFailsAndSaysWhereTheTimeMayGo() {
        Verdict v = Validation.judge(List.of(at(0.5, 1.02, 0.5), at(0.8, 1.25, 0.86)), Validation.TOLERANCE);
        assertFalse(v.passed());
        String text = String.join("\n", v.lines());
        assertTrue(text.contains("+25.0%") && text.contains("OFF by more than 10%"), text);
        assertTrue(text.contains("Where the time may go"), text);
        // busy 86% against rho 80%: 6% / lambda of loop time per request that no handler accounts for
        assertTrue(text.contains("outside the handler"), text);
    }

    @Test
    void aMeanUnderTheModelsPointsAtTheSample() {
        Verdict v = Validation.judge(List.of(at(0.8, 0.8, 0.8)), Validation.TOLERANCE);
        assertFalse(v.passed());
        assertTrue(
                String.join("\n", v.lines()).contains("too short for the heavy tail"),
                v.lines().toString());
    }

    @Test
    void aSaturatedLoopPredictsNothingAndFails() {
        Measurement m = new Measurement(0.8, 1.05 / ES, ES, ES2, 1.0, 1.0, 0, 0, Double.NaN);
        Verdict v = Validation.judge(List.of(m), Validation.TOLERANCE);
        assertFalse(v.passed());
        assertTrue(
                String.join("\n", v.lines()).contains("at or past 1"), v.lines().toString());
    }

    /** A 60 s sample of a heavy tail can sit 15% under P-K on its own; the harness is judged against that sample. */
    @Test
    void aSampleOffTheModelPassesWhenTheHarnessMatchesItsOwnArrivals() {
        double lambda = 0.8 / ES;
        double pk = new MG1(ES, ES2).meanResponse(lambda);
        Measurement m = new Measurement(0.8, lambda, ES, ES2, 0.86 * pk, 0.8, 0, 0, 0.85 * pk);
        Verdict v = Validation.judge(List.of(m), Validation.TOLERANCE);
        assertTrue(v.passed(), String.join("\n", v.lines()));
        assertTrue(
                v.lines().get(1).contains("ok on its own arrivals"), v.lines().get(1));
        Measurement harnessOff = new Measurement(0.8, lambda, ES, ES2, 1.2 * pk, 0.8, 0, 0, 0.85 * pk);
        assertFalse(Validation.judge(List.of(harnessOff), Validation.TOLERANCE).passed());
    }

    /** The replay is an M/G/1 queue: over a long sample its mean is the P-K mean (M/D/1 here: one class). */
    @Test
    void theReplayOfALongSampleIsThePollaczekKhinchineMean() {
        double s = 100e-6;
        double lambda = 0.5 / s;
        double replay = Validation.sameArrivals(lambda, 400, 3, 0, 0, s);
        double pk = new MG1(s, s * s).meanResponse(lambda);
        assertEquals(pk, replay, pk * 0.03);
    }

    @Test
    void noPointsIsNoPass() {
        assertFalse(Validation.judge(List.of(), Validation.TOLERANCE).passed());
    }
}
