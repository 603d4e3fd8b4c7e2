package loopbench.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The op records are the scenario format: every record has a name, and every file reads and writes back as it was. */
class OpTest {
    @Test
    void everyOpRecordIsNamedInTheTable() {
        Set<Class<?>> records = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(Set.of(Op.class));
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (c.isRecord()) records.add(c);
            else todo.addAll(Set.of(c.getPermittedSubclasses()));
        }
        assertEquals(records, new HashSet<>(Op.BY_NAME.values()));
        assertEquals(33, records.size(), "the ops of SCENARIOS.md");
    }

    @Test
    void everyCorpusFileWritesBackAsItWasRead() throws Exception {
        for (Path f : CorpusTest.scenarioFiles()) {
            JsonNode main = Scenario.JSON.readTree(Files.readString(f)).get("main");
            JsonNode written = Scenario.JSON.readTree(
                    Scenario.toJson(Scenario.load(f).main()).toString());
            assertEquals(main, written, f.toString());
        }
    }
}
