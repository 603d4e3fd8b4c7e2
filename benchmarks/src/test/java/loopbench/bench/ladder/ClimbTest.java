package loopbench.bench.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;

/** A runtime climbs until two overloaded rungs in a row, or the top; saturation and SLO capacity follow. */
class ClimbTest {
    private static final RateLadder LADDER = RateLadder.of(List.of(1_000.0, 1_400.0, 1_900.0, 2_700.0, 3_700.0));

    /** Runs the climb against a model runtime: its outcome at each offered rate. */
    private static Climb climb(DoubleFunction<PointOutcome> runtime) {
        Climb c = new Climb(LADDER, new SaturationRule(50));
        while (!c.done()) c.record(runtime.apply(c.next()));
        return c;
    }

    @Test
    void aRuntimeThatFallsBehindStopsAtTheSecondOverloadedRung() {
        // keeps up to 1,400 req/s, then completes only 1,400 of whatever is offered
        Climb c = climb(r -> new PointOutcome(r, Math.min(1, 1_400 / r), r <= 1_400 ? 10 : 400));
        assertEquals(4, c.points().size(), "3,700 is never run");
        assertEquals(OptionalDouble.of(1_900), c.saturation());
        assertEquals("fell-behind+p99-above-slo", c.stop());
        assertEquals(OptionalDouble.of(1_400), c.sloCapacity());
    }

    @Test
    void aRuntimeThatKeepsUpButMissesTheObjectiveStopsForThat() {
        Climb c = climb(r -> new PointOutcome(r, 1, r < 1_400 ? 20 : 60));
        assertEquals(OptionalDouble.of(1_400), c.saturation());
        assertEquals("p99-above-slo", c.stop());
        assertEquals(OptionalDouble.of(1_000), c.sloCapacity());
    }

    @Test
    void oneBadRungIsAPauseNotASaturation() {
        Climb c = climb(r -> new PointOutcome(r, r == 1_400 ? 0.5 : 1, 10));
        assertEquals(5, c.points().size());
        assertEquals(OptionalDouble.empty(), c.saturation());
        assertEquals(Climb.TOP_OF_LADDER, c.stop());
        assertEquals(OptionalDouble.of(3_700), c.sloCapacity());
    }

    @Test
    void aRuntimeOverloadedOnlyAtTheTopRungSaturatesThere() {
        // sustains everything up to 2,700 req/s, overloaded at 3,700, the last rung: nothing left to confirm it
        Climb c = climb(r -> new PointOutcome(r, r < 3_700 ? 1 : 0.8, r < 3_700 ? 10 : 300));
        assertEquals(5, c.points().size());
        assertEquals(OptionalDouble.of(3_700), c.saturation());
        assertEquals(Climb.TOP_RUNG_OVERLOADED, c.stop());
        assertEquals(OptionalDouble.of(2_700), c.sloCapacity());
    }

    @Test
    void aRuntimeStillKeepingUpAtTheTopClimbsPastItOnTheGridUntilItSaturates() {
        // keeps up to 6,000 req/s: the ladder's top (3,700) is not its limit
        Climb c = new Climb(LADDER, new SaturationRule(50), 3);
        while (!c.done()) c.record(new PointOutcome(c.next(), c.next() <= 6_000 ? 1 : 0.7, 10));
        assertEquals(
                List.of(1_000.0, 1_400.0, 1_900.0, 2_700.0, 3_700.0, 5_200.0, 7_200.0, 10_000.0),
                c.points().stream().map(PointOutcome::offered).toList());
        assertEquals(OptionalDouble.of(7_200), c.saturation(), "seen twice in a row, as on the ladder");
        assertEquals("fell-behind", c.stop());
        assertEquals(OptionalDouble.of(5_200), c.sloCapacity());
    }

    @Test
    void theRungsPastTheTopAreLimited() {
        Climb c = new Climb(LADDER, new SaturationRule(50), 2);
        while (!c.done()) c.record(new PointOutcome(c.next(), 1, 10));
        assertEquals(7, c.points().size());
        assertEquals(Climb.TOP_OF_LADDER, c.stop());
        assertEquals(OptionalDouble.of(7_200), c.sloCapacity());
        assertEquals(OptionalDouble.empty(), c.saturation());
    }

    @Test
    void anOverloadAtTheTopIsConfirmedOnTheNextGridRateWhenThereIsOne() {
        Climb c = new Climb(LADDER, new SaturationRule(50), 2);
        while (!c.done()) c.record(new PointOutcome(c.next(), c.next() < 3_700 ? 1 : 0.8, 10));
        assertEquals(6, c.points().size(), "3,700 then 5,200");
        assertEquals(OptionalDouble.of(3_700), c.saturation());
        assertEquals("fell-behind", c.stop());
    }

    @Test
    void aRuntimeOverloadedFromTheFirstRungHasNoCapacity() {
        Climb c = climb(PointOutcome::failed);
        assertEquals(2, c.points().size());
        assertEquals(OptionalDouble.of(1_000), c.saturation());
        assertEquals(OptionalDouble.empty(), c.sloCapacity());
        assertThrows(IllegalStateException.class, c::next);
    }

    @Test
    void pointsMustBeRecordedInLadderOrder() {
        Climb c = new Climb(LADDER, new SaturationRule(50));
        assertNull(c.stop());
        assertFalse(c.done());
        assertThrows(IllegalArgumentException.class, () -> c.record(new PointOutcome(1_400, 1, 1)));
        c.record(new PointOutcome(1_000, 1, 1));
        assertTrue(c.next() == 1_400);
    }
}
