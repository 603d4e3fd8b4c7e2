package loopbench.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import loopbench.schema.JmhEntry;
import org.junit.jupiter.api.Test;

/** A point with too few requests for its percentiles says so in its result (issue 19, defect 7). */
class PointValidityTest {
    private static PointResult point(long completed) {
        PointResult r = new PointResult(
                "mixed",
                "loop",
                "per-core",
                "poisson",
                "simulated",
                5300,
                0.5,
                10_600,
                0.001,
                7000,
                completed,
                0,
                0,
                false);
        r.completed = completed;
        return r;
    }

    @Test
    void eightRequestsAreNotAMeasurement() {
        JmhEntry jmh = point(8).toJmh();
        assertEquals(false, jmh.valid());
        assertTrue(
                jmh.invalidReason().startsWith("8 requests completed; p99.9 needs at least 1,000"),
                jmh.invalidReason());
        assertTrue(point(8).summary().contains("INVALID: 8 requests completed"), point(8).summary());
    }

    @Test
    void enoughRequestsForP999AreValid() {
        JmhEntry jmh = point(PointResult.MIN_COMPLETED).toJmh();
        assertEquals(true, jmh.valid());
        assertNull(jmh.invalidReason());
    }
}
