package loopbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a run's processes go: the few-cores warning and the taskset pinning, from the machine's figures alone. */
class PlacementTest {
    private static final List<String> CMD = List.of("java", "-cp", "x", "Main");

    @Test
    void twoCoresForTwoLoopsAGeneratorAndABackendAreAMachineWideCapacity() {
        Placement p = new Placement(2, 2, true, true);
        assertEquals(4, p.needed());
        assertFalse(p.pinned(), "too few cores to pin apart");
        assertTrue(p.warning().contains("2 cores for 2 loops + the load generator + the delay backend"), p.warning());
        assertTrue(p.warning().contains("machine-wide capacity"), p.warning());
        assertEquals(CMD, p.pin(p.measuredCpus(), CMD), "nothing pinned");
        assertTrue(p.toJson().path("warning").isTextual());
        assertFalse(p.toJson().path("pinned").asBoolean());
    }

    @Test
    void enoughCoresAndTasksetPinTheBackendApartFromTheMeasuredJvm() {
        Placement p = new Placement(8, 1, true, true);
        assertNull(p.warning());
        assertTrue(p.pinned());
        assertEquals("0-6", p.measuredCpus());
        assertEquals("7", p.backendCpus());
        assertEquals(List.of("taskset", "-c", "7", "java", "-cp", "x", "Main"), p.pin(p.backendCpus(), CMD));
        assertEquals("0-6", p.toJson().path("measuredCpus").asText());
        assertTrue(p.toJson().path("generator").asText().contains("measured JVM"));
    }

    @Test
    void withoutTasksetOrABackendProcessNothingIsPinned() {
        assertFalse(new Placement(8, 1, true, false).pinned(), "no taskset");
        assertFalse(new Placement(8, 1, false, true).pinned(), "no second process to keep apart");
        assertNull(new Placement(8, 1, false, true).warning());
        assertTrue(new Placement(2, 2, false, true).warning().contains("2 loops + the load generator:"));
    }
}
