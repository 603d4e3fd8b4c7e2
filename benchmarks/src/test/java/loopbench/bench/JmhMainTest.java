package loopbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import loopbench.bench.load.Loads;
import loopbench.core.EventLoops;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/** benchmarks.jar fills each blank runtime or load parameter from the registries, as each benchmark allows. */
class JmhMainTest {
    private static final String HAND_OFF = "loopbench.bench.micro.TokenHandOff.handOff";
    private static final String PROMISES = "loopbench.bench.micro.PromiseCost.promiseThenChain";
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private Map<String, Map<String, List<String>>> filled(String... args) throws Exception {
        return JmhMain.filledParams(new CommandLineOptions(args), out);
    }

    @Test
    void eachBenchmarkGetsTheRuntimesItsCapabilityNames() throws Exception {
        Map<String, Map<String, List<String>>> f = filled("TokenHandOff|PromiseCost");
        assertEquals(EventLoops.names(p -> p.canAwait()), f.get(HAND_OFF).get("runtime"));
        assertEquals(EventLoops.names(), f.get(PROMISES).get("runtime"));
    }

    @Test
    void aLoadParameterGetsEveryLoad() throws Exception {
        Map<String, Map<String, List<String>>> f = filled("LatencyUnderLoad");
        assertFalse(f.isEmpty());
        for (Map<String, List<String>> v : f.values()) {
            assertEquals(Loads.names(), v.get("load"));
            assertEquals(EventLoops.names(), v.get("runtime"));
        }
    }

    @Test
    void aRuntimeTheBenchmarkCannotRunOnSkipsItWithALine() throws Exception {
        String cannotAwait = EventLoops.names(p -> !p.canAwait()).get(0);
        Map<String, Map<String, List<String>>> f = filled("TokenHandOff|PromiseCost", "-p", "runtime=" + cannotAwait);
        assertFalse(f.containsKey(HAND_OFF));
        assertEquals(List.of(cannotAwait), f.get(PROMISES).get("runtime"));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("# Skipped " + HAND_OFF), printed.toString());
    }

    @Test
    void anUnknownRuntimeIsAnErrorNamingTheKnownOnes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> filled("PromiseCost", "-p", "runtime=nosuch"));
        assertEquals("-p runtime=nosuch is not one of " + EventLoops.names(), e.getMessage());
    }

    @Test
    void nothingLeftToRunIsAnErrorBeforeAnyRun() {
        String cannotAwait = EventLoops.names(p -> !p.canAwait()).get(0);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> JmhMain.run(new CommandLineOptions("TokenHandOff", "-p", "runtime=" + cannotAwait), out));
        assertEquals("nothing to run: no benchmark matches [TokenHandOff] with the -p values given", e.getMessage());
    }
}
