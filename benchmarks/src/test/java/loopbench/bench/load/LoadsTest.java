package loopbench.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import loopbench.bench.backend.BackendConfig;
import loopbench.core.EventLoopProvider;
import loopbench.core.EventLoops;
import org.junit.jupiter.api.Test;

/** The load registry is the one list of loads; names are what users type and what file names carry. */
class LoadsTest {
    @Test
    void eachLoadIsFoundByItsNameInAnyCase() {
        for (LoadSpec l : Loads.all()) {
            assertSame(l, Loads.named(l.name()));
            assertSame(l, Loads.named(l.name().toUpperCase(java.util.Locale.ROOT)));
            assertFalse(l.description().isBlank(), l.name() + " has a description");
        }
        assertEquals(Loads.all().size(), Set.copyOf(Loads.names()).size(), "names are unique");
    }

    @Test
    void eachLoadsObjectiveIsTenTimesItsNoQueueingP99() {
        assertEquals(50, Loads.CPU_BLOCKING.sloP99Millis()); // the 5 ms heavy request
        assertEquals(150, Loads.IO_HEAVY.sloP99Millis()); // three 5 ms calls (and 10 us of CPU)
        assertEquals(120, Loads.MIXED.sloP99Millis()); // 2 ms offloaded, two 5 ms calls
        for (LoadSpec l : Loads.all()) {
            assertEquals(LoadSpec.SLO_FACTOR * l.noQueueingP99Millis(), l.sloP99Millis(), l.sloP99Millis() * 0.05);
        }
    }

    @Test
    void anUnknownLoadIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Loads.named("cpu_heavy"));
        assertEquals("unknown load 'cpu_heavy': known are " + String.join(", ", Loads.names()), e.getMessage());
    }

    @Test
    void aLoadNameMustBeSafeInFileNames() {
        // point files are named load_runtime_rate: an underscore would split the stem wrongly
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new LoadSpec("cpu_heavy", "x", 0, 1, 1, false, false, 0, 1));
        assertTrue(e.getMessage().contains("lower-case letters, digits and '-'"), e.getMessage());
    }

    @Test
    void thePerRequestLayoutIsRefusedForARuntimeThatDoesNotSupportIt() {
        List<String> refusing = EventLoops.names(p -> !p.supportsLoopPerRequest());
        for (String rt : refusing) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new LoopSet(
                            rt,
                            Layout.PER_REQUEST,
                            1,
                            0,
                            10,
                            1_000_000,
                            new LatencyRecorder(NanoClock.SYSTEM),
                            BackendConfig.SIMULATED));
            assertTrue(
                    e.getMessage()
                                    .contains(String.join(
                                            ", ", EventLoops.names(EventLoopProvider::supportsLoopPerRequest)))
                            && e.getMessage().contains("the " + rt + " runtime"),
                    e.getMessage());
        }
    }
}
