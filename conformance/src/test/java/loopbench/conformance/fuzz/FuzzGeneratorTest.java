package loopbench.conformance.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import loopbench.conformance.Op;
import loopbench.conformance.Scenario;
import loopbench.conformance.ScenarioRunner;
import loopbench.core.testing.SomeRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The generator on its own (no node needed): valid, deterministic, varied scenarios. */
class FuzzGeneratorTest {
    static final int SEEDS = 500;
    static final Set<String> ALL_OPS = Set.of(
            "log",
            "prependOnceListener",
            "cpu",
            "setTimeout",
            "setInterval",
            "setImmediate",
            "clearTimeout",
            "clearInterval",
            "clearImmediate",
            "nextTick",
            "queueMicrotask",
            "io",
            "newPromise",
            "resolve",
            "reject",
            "resolved",
            "rejected",
            "then",
            "catch",
            "finally",
            "all",
            "allSettled",
            "race",
            "any",
            "async",
            "await",
            "try",
            "throw",
            "emitter",
            "on",
            "once",
            "prependListener",
            "off",
            "emit",
            "ref",
            "unref",
            "refresh",
            "hasRef",
            "return",
            "setTimeoutPromise",
            "setImmediatePromise",
            "forAwaitInterval",
            "let",
            "add",
            "if",
            "repeat",
            "function",
            "call");

    private final ScenarioGenerator generator = new ScenarioGenerator();

    @Test
    void sameSeedSameScenarioAndSeedsDiffer() {
        for (long seed = 0; seed < 50; seed++) {
            assertEquals(generator.generate(seed), generator.generate(seed), "seed " + seed);
            assertNotEquals(
                    generator.generate(seed).get("main"),
                    generator.generate(seed + 1).get("main"),
                    "seeds " + seed + ", " + (seed + 1));
        }
    }

    @Test
    void everyScenarioParsesAndHasFiveToTwentyFiveOps() {
        for (long seed = 0; seed < SEEDS; seed++) {
            ObjectNode sc = generator.generate(seed);
            Scenario.parse(sc, Path.of(sc.get("name").asText() + ".json"));
            int ops = ScenarioGenerator.countOps(sc.get("main"));
            assertTrue(
                    ops >= ScenarioGenerator.MIN_OPS && ops <= ScenarioGenerator.MAX_OPS,
                    "seed " + seed + ": " + ops + " ops");
        }
    }

    @Test
    void theSeedsCoverEveryOpAndTheTrickyForms() {
        Set<String> ops = new TreeSet<>();
        Set<String> forms = new TreeSet<>();
        int deepest = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            JsonNode main = generator.generate(seed).get("main");
            collect(main, ops, forms, false);
            functions(
                    Scenario.parse(generator.generate(seed), Path.of("f.json")).main(), false, false, forms);
            deepest = Math.max(deepest, depth(main));
        }
        Set<String> missing = new TreeSet<>(ALL_OPS);
        missing.removeAll(ops);
        assertTrue(missing.isEmpty(), "ops never generated: " + missing);
        for (String f : List.of(
                "ms -1",
                "ms 1.5",
                "ms above TIMEOUT_MAX",
                "processOn rejectionHandled",
                "return in try",
                "errorMonitor",
                "return promise",
                "return throw",
                "return value",
                "await promise",
                "await value",
                "await in try",
                "resolve with promise",
                "of value",
                "interval times 3",
                "ref false in setTimeoutPromise",
                "ref false in setImmediatePromise",
                "ref false in forAwaitInterval",
                "await in for await",
                "return outside async bodies",
                "return in if",
                "counter in log",
                "if on $v",
                "call in another function")) {
            assertTrue(forms.contains(f), "never generated: " + f + " (seen " + forms + ")");
        }
        assertEquals(ScenarioGenerator.MAX_DEPTH, deepest, "blocks nest up to MAX_DEPTH, no deeper");
    }

    private static void collect(JsonNode n, Set<String> ops, Set<String> forms, boolean inTry) {
        if (n.isArray()) {
            for (JsonNode c : n) collect(c, ops, forms, inTry);
            return;
        }
        if (!n.isObject()) return;
        String op = n.path("op").asText(null);
        if (op != null) {
            ops.add(op);
            if (n.has("ms") && n.get("ms").asDouble() == -1) forms.add("ms -1");
            if (n.has("ms") && n.get("ms").asDouble() == 1.5) forms.add("ms 1.5");
            if (n.has("ms") && n.get("ms").asDouble() > Integer.MAX_VALUE) forms.add("ms above TIMEOUT_MAX");
            if (op.equals("processOn")) forms.add("processOn " + n.get("event").asText());
            if (op.equals("return") && inTry) forms.add("return in try");
            if (op.equals("if"))
                for (JsonNode r : n.get("then")) if (r.path("op").asText().equals("return")) forms.add("return in if");
            if (op.equals("log") && n.get("msg").asText().contains("${")) forms.add("counter in log");
            if (op.equals("if") && n.get("cond").get("var").asText().startsWith("$")) forms.add("if on $v");
            if ("$errorMonitor".equals(n.path("event").asText(null))) forms.add("errorMonitor");
            if (n.path("times").asInt() == 3) forms.add("interval times 3");
            if (op.equals("await")) forms.add(n.has("promise") ? "await promise" : "await value");
            if (op.equals("await") && inTry) forms.add("await in try");
            if (op.equals("resolve") && n.has("promise")) forms.add("resolve with promise");
            if (n.has("of")) for (JsonNode i : n.get("of")) if (i.isObject()) forms.add("of value");
            if (n.path("ref").isBoolean() && !n.get("ref").booleanValue()) forms.add("ref false in " + op);
            if (op.equals("forAwaitInterval"))
                for (JsonNode b : n.get("do"))
                    if ("await".equals(b.path("op").asText())) forms.add("await in for await");
        }
        for (JsonNode h : List.of(
                n.path("return"),
                n.path("fulfilled").path("return"),
                n.path("rejected").path("return"))) {
            if (h.has("promise")) forms.add("return promise");
            if (h.has("throw")) forms.add("return throw");
            if (h.has("value")) forms.add("return value");
        }
        boolean nowInTry = inTry || "try".equals(op);
        for (String f : List.of("do", "catch", "finally", "then", "else"))
            if (n.has(f)) collect(n.get(f), ops, forms, f.equals("catch") ? inTry : nowInTry);
        for (String f : List.of("fulfilled", "rejected"))
            if (n.has(f)) collect(n.get(f).path("do"), ops, forms, false);
    }

    /** Forms that hang on the function an op is in: a return outside async bodies, a call from a function not main. */
    private static void functions(List<Op> block, boolean inAsync, boolean outOfMain, Set<String> forms) {
        for (Op op : block) {
            if (op instanceof Op.ReturnStatement && !inAsync) forms.add("return outside async bodies");
            if (op instanceof Op.Call && outOfMain) forms.add("call in another function");
            for (List<Op> b : op.blocks().values()) {
                boolean same = Scenario.sameFunction(op);
                functions(b, op instanceof Op.Async || (same && inAsync), outOfMain || !same, forms);
            }
        }
    }

    private static int depth(JsonNode block) {
        int d = 0;
        for (JsonNode op : block) {
            for (JsonNode b : List.of(
                    op.path("do"),
                    op.path("catch"),
                    op.path("fulfilled").path("do"),
                    op.path("rejected").path("do"))) {
                if (b.isArray()) d = Math.max(d, 1 + depth(b));
            }
        }
        return d;
    }

    /** Every scenario runs on the loop runtime without a runner error (an id used before it exists, a stuck loop...). */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everyScenarioRunsOnTheLoopRuntimeWithoutError() throws Exception {
        ScenarioRunner runner = new ScenarioRunner();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<ScenarioRunner.Result>> results = new ArrayList<>();
            for (long seed = 0; seed < SEEDS; seed++) {
                ObjectNode sc = generator.generate(seed);
                Scenario parsed = Scenario.parse(sc, Path.of(sc.get("name").asText() + ".json"));
                results.add(pool.submit(() -> runner.run(parsed, SomeRuntime.any())));
            }
            List<String> errors = new ArrayList<>();
            int logged = 0;
            for (int i = 0; i < results.size(); i++) {
                ScenarioRunner.Result r;
                try {
                    r = results.get(i)
                            .get(60, TimeUnit.SECONDS); // each run is also bounded by the runner's own watchdog
                } catch (TimeoutException e) {
                    errors.add("seed " + i + ": still running after 60 s");
                    continue;
                }
                if (r.error() != null) errors.add("seed " + i + ": " + r.error());
                else if (!r.log().isEmpty()) logged++;
            }
            assertTrue(errors.isEmpty(), errors.size() + " scenarios failed:\n" + String.join("\n", errors));
            assertTrue(logged >= SEEDS * 9 / 10, "only " + logged + " of " + SEEDS + " scenarios logged anything");
        } finally {
            pool.shutdownNow();
        }
    }
}
