package loopbench.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import loopbench.core.EventLoopProvider;
import loopbench.core.EventLoops;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of the corpus (Node's expected output in each file) on every runtime there is. */
class CorpusTest {
    static Path corpus() throws URISyntaxException {
        return Path.of(CorpusTest.class.getResource("/corpus").toURI());
    }

    static List<Path> scenarioFiles() throws IOException, URISyntaxException {
        try (Stream<Path> s = Files.walk(corpus())) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** The corpus runs on every runtime the registry finds: the project's three runtime modules are on the class path. */
    @Test
    void theRegistryFindsEachRuntimeOnceInItsStatedOrder() {
        List<EventLoopProvider> all = EventLoops.providers();
        assertEquals(3, all.size(), "runtimes found: " + EventLoops.names());
        assertEquals(all.size(), Set.copyOf(EventLoops.names()).size(), "names are unique");
        for (int i = 1; i < all.size(); i++)
            assertTrue(all.get(i - 1).order() <= all.get(i).order(), "listed in order: " + EventLoops.names());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventLoops.provider("nodejs"));
        assertEquals("unknown runtime 'nodejs': known are " + String.join(", ", EventLoops.names()), e.getMessage());
    }

    @Test
    void corpusHasTheSharedSeedAndOurOwnScenarios() throws Exception {
        List<Path> files = scenarioFiles();
        long shared = files.stream()
                .filter(p -> p.getParent().getFileName().toString().equals("shared"))
                .count();
        assertEquals(20, shared, "the shared corpus, copied");
        assertTrue(files.size() - shared >= 40, "at least 40 scenarios of our own, found " + (files.size() - shared));
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioMatchesNodeOnEveryRuntime() throws Exception {
        ScenarioRunner runner = new ScenarioRunner();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : scenarioFiles()) {
            Scenario sc = Scenario.load(f);
            assertNotNull(sc.expected(), f + " has no expected output");
            for (EventLoopProvider p : EventLoops.providers()) {
                tests.add(DynamicTest.dynamicTest(p.name() + ": " + sc.name(), () -> {
                    ScenarioRunner.Result r = runner.run(sc, p.name());
                    assertNull(r.error(), r.error());
                    assertEquals(sc.expected(), r.log());
                }));
            }
        }
        return tests.stream();
    }
}
