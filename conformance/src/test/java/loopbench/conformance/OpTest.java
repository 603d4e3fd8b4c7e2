package loopbench.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    }

    /** The format's document and the records name the same ops: the first column of its Operations table. */
    @Test
    void scenariosMdDocumentsEveryOpAndNoOther() throws Exception {
        String doc = Files.readString(Path.of("SCENARIOS.md")); // the module's directory: conformance/SCENARIOS.md
        String table = doc.substring(doc.indexOf("## Operations"), doc.indexOf("## Bindings"));
        Set<String> documented = new TreeSet<>();
        for (String line : table.lines().toList()) {
            if (!line.startsWith("| `")) continue;
            Matcher m = Pattern.compile("`([A-Za-z]+)`").matcher(line.substring(0, line.indexOf('|', 1)));
            while (m.find()) documented.add(m.group(1));
        }
        assertEquals(new TreeSet<>(Op.BY_NAME.keySet()), documented);
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
