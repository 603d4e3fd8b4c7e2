package loopbench.bench.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SaturationRuleTest {
    private final SaturationRule rule = new SaturationRule(50);

    /** A point at {@code offered} that completed {@code achieved} of it per second, Poisson noise and pipeline aside. */
    private static PointOutcome p(double offered, double achieved, double p99) {
        return new PointOutcome(offered, achieved / offered, p99);
    }

    @Test
    void aPointIsOverloadedWhenItFallsBehindOrMissesTheObjective() {
        assertFalse(rule.overloaded(p(1_000, 950, 50)));
        assertTrue(rule.overloaded(p(1_000, 949, 10)), "under 95% of the offered rate");
        assertTrue(rule.overloaded(p(1_000, 1_000, 50.1)), "p99 above the objective");
        assertTrue(rule.overloaded(p(1_000, 1_000, Double.NaN)), "no latency measured");
        assertTrue(rule.overloaded(p(1_000, Double.NaN, 1)), "no throughput measured");
    }

    @Test
    void theClimbStopsAfterTwoOverloadedPointsInARowAndSaturationIsTheFirst() {
        List<PointOutcome> climb = new ArrayList<>();
        climb.add(p(1_000, 1_000, 5));
        climb.add(p(1_400, 1_390, 80)); // one bad point: a pause of the shared machine
        assertFalse(rule.stop(climb));
        climb.add(p(1_900, 1_900, 6)); // recovered: not saturated
        assertFalse(rule.stop(climb));
        climb.add(p(2_700, 2_000, 300));
        assertFalse(rule.stop(climb));
        assertEquals(OptionalDouble.empty(), rule.saturation(climb));
        climb.add(p(3_700, 2_100, 900));
        assertTrue(rule.stop(climb));
        assertEquals(OptionalDouble.of(2_700), rule.saturation(climb));
    }

    @Test
    void capacityIsTheHighestRateSustainedWithinTheObjective() {
        List<PointOutcome> climb = List.of(
                p(1_000, 1_000, 5),
                p(1_400, 1_399, 9),
                p(1_900, 1_850, 12), // 97%: not sustained
                p(2_700, 2_000, 300),
                p(3_700, 2_100, 900));
        assertEquals(OptionalDouble.of(1_400), rule.sloCapacity(climb));
        assertEquals(
                OptionalDouble.empty(), rule.sloCapacity(List.of(p(1_000, 1_000, 51))), "never within: no capacity");
    }

    @Test
    void capacityIsNotTheLastSustainedRateButTheHighest() {
        // a pause at 1,900 made it miss; it recovered at 2,700: capacity is 2,700, and it never stopped
        List<PointOutcome> climb = List.of(p(1_000, 1_000, 5), p(1_900, 1_900, 70), p(2_700, 2_700, 20));
        assertEquals(OptionalDouble.of(2_700), rule.sloCapacity(climb));
        assertFalse(rule.stop(climb));
    }

    @Test
    void whyNamesWhatWasWrongAtAPoint() {
        assertEquals(null, rule.why(p(1_000, 1_000, 5)));
        assertEquals("fell-behind", rule.why(p(1_000, 900, 5)));
        assertEquals("p99-above-slo", rule.why(p(1_000, 1_000, 500)));
        assertEquals("fell-behind+p99-above-slo", rule.why(p(1_000, 500, 500)));
    }

    @Test
    void theShareIsOfTheRequestsIssuedLessThePipelineTheWindowCannotSee() {
        // Poisson issued 1,960 of a nominal 2,000 in 1 s; 1,930 completed in the window with a 16 ms median:
        // about 31 were legitimately in flight at its end, so all that were due completed.
        PointOutcome ok = PointOutcome.measured(2_000, 1, 1_960, 1_930, 16, 21);
        assertEquals(1.0, ok.completedShare(), 0.001);
        assertTrue(rule.sustained(ok));
        // Against the nominal rate it would read 96.5%: not sustained, for no fault of the runtime.
        assertFalse(rule.sustained(p(2_000, 1_930, 21)));
    }

    @Test
    void aBacklogIsNotExcusedAsPipeline() {
        // fell behind: 70% completed, the median grew to 800 ms of a 2 s point; the pipeline allowance stops at 10%
        PointOutcome behind = PointOutcome.measured(10_000, 2, 20_000, 7_000, 800, 1_500);
        assertEquals(0.7 / 0.9, behind.completedShare(), 1e-9);
        assertEquals("fell-behind+p99-above-slo", rule.why(behind));
        assertTrue(rule.overloaded(PointOutcome.failed(1_000)), "a point that failed to run");
    }
}
