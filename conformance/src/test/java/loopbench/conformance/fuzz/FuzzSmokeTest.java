package loopbench.conformance.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import loopbench.conformance.Op;
import loopbench.core.EventLoops;
import loopbench.core.testing.SomeRuntime;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole differential pipeline on a fixed set of seeds: generator, real Node (skipped when
 * {@code node} is not on the PATH), all three runtimes. Zero mismatches that reproduce expected. A
 * mismatch that two reruns do not show again, or one in a scenario that reads a file
 * ({@link #readsFiles}), is printed as timing, not failed: a verify beside two CPU hogs once made an
 * io read lose to a 40 ms timer, which no runtime rule decides.
 */
class FuzzSmokeTest {
    /** Fixed seeds: 40 scenarios. */
    static final long FIRST_SEED = 1;

    static final int COUNT = 40;

    static void assumeNode() {
        Assumptions.assumeTrue(
                NodeOracle.nodeAvailable(),
                "node is not on the PATH: the differential fuzz smoke test needs real Node v20 as its reference; skipped");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void fixedSeedsMatchNodeOnEveryRuntime() {
        assumeNode();
        long started = System.nanoTime();
        ScenarioGenerator generator = new ScenarioGenerator();
        List<ObjectNode> scenarios = new ArrayList<>();
        for (long seed = FIRST_SEED; seed < FIRST_SEED + COUNT; seed++) scenarios.add(generator.generate(seed));
        RuntimeCheck check = new RuntimeCheck();
        List<String> problems = new ArrayList<>();
        List<String> timing = new ArrayList<>();
        int stable = 0;
        try (NodeOracle oracle = new NodeOracle()) {
            Map<String, NodeOracle.Verdict> verdicts = oracle.check(scenarios);
            for (ObjectNode sc : scenarios) {
                String name = sc.get("name").asText();
                NodeOracle.Verdict v = verdicts.get(name);
                if (v.status() == NodeOracle.Status.ERROR) problems.add(name + ": node error: " + v.error());
                if (!v.usable()) continue;
                stable++;
                for (String rt : EventLoops.names()) {
                    RuntimeCheck.Run r = check.run(sc, rt, v.log());
                    if (r.outcome() == RuntimeCheck.Outcome.MISMATCH
                            && (readsFiles(sc)
                                    || check.mismatchesOnRerun(sc, rt, v.log()) < RuntimeCheck.CONFIRM_RUNS)) {
                        // The order hung on timing, which a busy machine moves (see readsFiles).
                        timing.add(name + " on " + rt + ": " + FuzzCommand.difference(v.log(), r));
                    } else if (r.outcome() != RuntimeCheck.Outcome.MATCH) {
                        problems.add(name + " on " + rt + ": " + FuzzCommand.difference(v.log(), r) + "\n  scenario: "
                                + sc.get("main"));
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " mismatches:\n" + String.join("\n", problems));
        for (String f : timing) System.out.println("FuzzSmokeTest: timing, not counted: " + f);
        assertTrue(stable >= COUNT * 3 / 4, "too few stable scenarios to mean anything: " + stable + " of " + COUNT);
        System.out.printf(
                "FuzzSmokeTest: %d of %d scenarios stable in Node, all match on %s (%d on timing), %.1f s%n",
                stable, COUNT, EventLoops.names(), timing.size(), (System.nanoTime() - started) / 1e9);
    }

    /**
     * Whether the scenario reads a file: where its callback lands among timers a few ms away hangs on
     * how long the read takes, in Node and in the JVM alike, and a loaded machine moves both apart.
     * Seed 27 beside two CPU hogs: Node ran a timer due 2 ms after the read started before the read's
     * callback, 8 runs of 8; loom ran the callback first, 3 runs of 3; asked again under the same
     * load, Node itself was unstable (once the callback came after a 10 ms timer). So a mismatch
     * there is printed, not failed; the fuzzer and the corpus hold io to Node.
     */
    static boolean readsFiles(ObjectNode scenario) {
        return NodeOracle.uses(scenario, op -> op == Op.Io.class);
    }

    @Test
    void nodeOracleSortsStableUnstableAndBrokenScenarios() throws Exception {
        assumeNode();
        ObjectNode stable = json("{'name':'s','main':[{'op':'resolved','id':'p','value':1},"
                + "{'op':'then','on':'p','fulfilled':{'do':[{'op':'log','msg':'then $v'}]}},"
                + "{'op':'nextTick','do':[{'op':'log','msg':'tick'}]},{'op':'log','msg':'sync'}]}");
        // a 5 ms timer against an immediate from main: the immediate wins unless main is slow (--perturb)
        ObjectNode timing = json("{'name':'t','main':[{'op':'setTimeout','ms':5,'do':[{'op':'log','msg':'timeout'}]},"
                + "{'op':'setImmediate','do':[{'op':'log','msg':'immediate'}]}]}");
        // an io against a 5 ms timer started with it (fuzz seed 180020): Node's read takes about a
        // millisecond, a cold or busy JVM's can take more than 5, so only the perturbed io shows the race
        ObjectNode io =
                json("{'name':'io','main':[{'op':'setImmediate','do':[{'op':'io','do':[{'op':'log','msg':'io'}]},"
                        + "{'op':'setTimeout','ms':5,'do':[{'op':'log','msg':'timeout'}]}]}]}");
        // the oracle cannot compile this one (await outside async): the rest of the batch must still come back
        ObjectNode broken = json("{'name':'b','main':[{'op':'await','value':1}]}");
        try (NodeOracle oracle = new NodeOracle(3, 1)) {
            Map<String, NodeOracle.Verdict> v = oracle.check(List.of(broken, stable, timing, io));
            assertEquals(NodeOracle.Status.STABLE, v.get("s").status());
            assertEquals(List.of("sync", "tick", "then 1"), v.get("s").log());
            assertTrue(
                    v.get("t").status() == NodeOracle.Status.TIMING_SENSITIVE
                            || v.get("t").status() == NodeOracle.Status.UNSTABLE,
                    v.get("t").toString());
            // Whether Node shows this race depends on the machine: on a loaded one the perturbed run's poll
            // phase can wake late with the read done and run it before the due timer (a verify beside two CPU
            // hogs saw STABLE [io, timeout]). So only that it came back without an error is asserted here.
            assertTrue(
                    v.get("io").status() != NodeOracle.Status.ERROR, v.get("io").toString());
            assertEquals(NodeOracle.Status.ERROR, v.get("b").status());
        }
    }

    @Test
    void fuzzCommandEndToEnd(@TempDir java.nio.file.Path save) {
        assumeNode();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(
                new String[] {"--seed", "1", "--count", "4", "--runtime", SomeRuntime.any(), "--save", save.toString()},
                out,
                err);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text + err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("generated              4") && text.contains("loop "), text);
    }

    @Test
    void fuzzCommandRefusesBadUsage() {
        for (String[] args : List.of(
                new String[] {"--count", "x"},
                new String[] {"--runtime", "nope"},
                new String[] {"--bogus"},
                new String[] {"--seed"},
                new String[] {"--count", "0"})) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = run(args, new ByteArrayOutputStream(), err);
            assertEquals(2, code, String.join(" ", args));
            assertTrue(
                    err.toString(StandardCharsets.UTF_8).contains("Usage: fuzz"), err.toString(StandardCharsets.UTF_8));
        }
    }

    private static int run(String[] args, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new picocli.CommandLine(new FuzzCommand(new PrintStream(out, true, StandardCharsets.UTF_8), e))
                .setErr(new java.io.PrintWriter(e, true))
                .execute(args);
    }

    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) ScenarioGenerator.JSON.readTree(s.replace('\'', '"'));
    }
}
