package loopbench.bench.micro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import loopbench.bench.JmhMain;
import loopbench.bench.Runtimes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * The benchmark list JMH's annotation processor writes (META-INF/BenchmarkList, which
 * benchmarks.jar carries) names every micro benchmark with the parameters the results contract
 * expects. Guards the JDK 23+ gotcha: a compiler that no longer runs processors found on the class
 * path compiles the classes fine and leaves the jar without a single benchmark.
 */
class MicroBenchmarkListTest {
    private static final String PACKAGE = "loopbench.bench.micro.";
    private static final Runtimes.Which ALL = Runtimes.Which.ALL;

    private static final Runtimes.Which AWAITING = Runtimes.Which.AWAITING;

    /** benchmark -> the runtimes it runs on (null: no runtime parameter, the baseline). */
    private static final Map<String, Runtimes.Which> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("PromiseCost.promiseThenChain", ALL);
        EXPECTED.put("PromiseCost.promiseThenChain1M", ALL);
        EXPECTED.put("JobQueueCost.queueMicrotask", ALL);
        EXPECTED.put("JobQueueCost.nextTick", ALL);
        EXPECTED.put("ImmediateCost.setImmediateChain", ALL);
        EXPECTED.put("ImmediateCost.setImmediateBatch", ALL);
        EXPECTED.put("ImmediateCost.setImmediateBatch250k", ALL);
        EXPECTED.put("TimerCost.setTimeoutZeroBatch", ALL);
        EXPECTED.put("TimerCost.setTimeoutZeroBatch250k", ALL);
        EXPECTED.put("AwaitCost.awaitValue", ALL);
        EXPECTED.put("CrossThreadSubmitLatency.executeRoundTrip", ALL);
        EXPECTED.put("RunCost.emptyRun", ALL);
        EXPECTED.put("ClockCost.nanoTime", null);
        EXPECTED.put("TimerScheduleCancel.scheduleCancel", ALL);
        EXPECTED.put("TimerScheduleCancel.scheduleCancelEmptyList", ALL);
        EXPECTED.put("TokenHandOff.awaitSettled", AWAITING);
        EXPECTED.put("TokenHandOff.handOff", AWAITING);
        EXPECTED.put("MemoryPerPendingTimer.pendingTimer", ALL);
        EXPECTED.put("MemoryPerParkedAwait.parkedAwait", Runtimes.Which.AWAIT_ON_HEAP);
        EXPECTED.put("ArrayDequeFloor.queueMicrotask", null);
        EXPECTED.put("ArrayDequeFloor.setImmediateBatch", null);
        EXPECTED.put("ArrayDequeFloor.promiseThenChain", null);
        EXPECTED.put("ArrayDequeFloor.setImmediateBatch250k", null);
        EXPECTED.put("ArrayDequeFloor.promiseThenChain1M", null);
    }

    private static Map<String, BenchmarkListEntry> listed;

    @BeforeAll
    static void readList() throws IOException {
        try (InputStream in = MicroBenchmarkListTest.class
                .getClassLoader()
                .getResourceAsStream(BenchmarkList.BENCHMARK_LIST.substring(1))) {
            assertNotNull(
                    in,
                    BenchmarkList.BENCHMARK_LIST + " is missing: JMH's annotation processor did not run "
                            + "(on JDK 23+ it must be named in maven-compiler-plugin's annotationProcessorPaths)");
            listed = new LinkedHashMap<>();
            for (BenchmarkListEntry e : BenchmarkList.readBenchmarkList(in)) listed.put(e.getUsername(), e);
        }
    }

    @Test
    void everyMicroBenchmarkIsListed() {
        for (String name : EXPECTED.keySet()) {
            assertTrue(
                    listed.containsKey(PACKAGE + name),
                    name + " is not in " + BenchmarkList.BENCHMARK_LIST + "; listed micro benchmarks: "
                            + listed.keySet().stream()
                                    .filter(n -> n.startsWith(PACKAGE))
                                    .toList());
        }
    }

    @Test
    void noUnexpectedMicroBenchmark() {
        List<String> extra = listed.keySet().stream()
                .filter(n -> n.startsWith(PACKAGE))
                .map(n -> n.substring(PACKAGE.length()))
                .filter(n -> !EXPECTED.containsKey(n))
                .toList();
        assertTrue(extra.isEmpty(), "listed but not expected here (add them to EXPECTED): " + extra);
    }

    @Test
    void averageTimeNanosecondsAndRuntimeParameters() {
        for (Map.Entry<String, Runtimes.Which> x : EXPECTED.entrySet()) {
            BenchmarkListEntry e = listed.get(PACKAGE + x.getKey());
            if (e == null) continue; // reported by everyMicroBenchmarkIsListed
            assertEquals(Mode.AverageTime, e.getMode(), x.getKey());
            assertEquals(
                    java.util.concurrent.TimeUnit.NANOSECONDS, e.getTimeUnit().orElse(null), x.getKey());
            Map<String, String[]> params = e.getParams().orElse(Map.of());
            if (x.getValue() == null) {
                assertFalse(params.containsKey("runtime"), x.getKey() + " is a baseline: no runtime parameter");
            } else {
                assertArrayEquals(
                        new String[] {Runtimes.FILLED},
                        params.get("runtime"),
                        x.getKey() + ": @Param runtime must be Runtimes.FILLED, filled from the registry at launch");
                assertEquals(
                        x.getValue().names(), JmhMain.registryValues(e, "runtime"), x.getKey() + ": runtimes filled");
            }
        }
    }

    /**
     * Node's figures join the JMH benchmark of the same method name (NodeBaseline): an operation
     * node-micro.js times under a name no benchmark has would be dropped from micro.json without a word.
     */
    @Test
    void everyOperationNodeTimesIsAJmhBenchmarkOfTheSameName() throws IOException {
        String script = java.nio.file.Files.readString(java.nio.file.Path.of("node", "node-micro.js"));
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?m)^  ([A-Za-z0-9]+): ").matcher(script);
        java.util.Set<String> methods = new java.util.HashSet<>();
        for (String n : listed.keySet()) methods.add(n.substring(n.lastIndexOf('.') + 1));
        List<String> nodeOps = new java.util.ArrayList<>();
        while (m.find()) nodeOps.add(m.group(1));
        assertTrue(nodeOps.size() >= 13, "node-micro.js's operations not found: " + nodeOps);
        assertTrue(
                nodeOps.containsAll(List.of("promiseThenChain1M", "setImmediateBatch250k", "setTimeoutZeroBatch250k")),
                nodeOps.toString());
        List<String> orphans =
                nodeOps.stream().filter(n -> !methods.contains(n)).toList();
        assertTrue(orphans.isEmpty(), "node-micro.js times operations no JMH benchmark is named after: " + orphans);
    }

    @Test
    void nodeOperationsArePerOperation() {
        for (String name : List.of(
                "PromiseCost.promiseThenChain",
                "JobQueueCost.queueMicrotask",
                "JobQueueCost.nextTick",
                "ImmediateCost.setImmediateChain",
                "ImmediateCost.setImmediateBatch",
                "TimerCost.setTimeoutZeroBatch",
                "AwaitCost.awaitValue",
                "PromiseCost.promiseThenChain1M",
                "ImmediateCost.setImmediateBatch250k",
                "TimerCost.setTimeoutZeroBatch250k")) {
            BenchmarkListEntry e = listed.get(PACKAGE + name);
            if (e == null) continue;
            assertTrue(e.getOperationsPerInvocation().orElse(1) >= 10_000, name + ": @OperationsPerInvocation");
        }
    }
}
