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

    private static PointOutcome p(double offered, double achieved, double p99) {
        return new PointOutcome(offered, achieved, p99);
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
}
