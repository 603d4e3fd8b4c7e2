package loopbench.conformance.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import loopbench.conformance.JsValues;
import loopbench.conformance.Scenario;
import loopbench.conformance.ScenarioException;
import loopbench.conformance.ScenariosCommand;
import loopbench.core.EventLoops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./loopbench fuzz}: differential fuzzing of the runtimes against real Node. Generates
 * random scenarios ({@link ScenarioGenerator}), keeps those Node runs reproducibly
 * ({@link NodeOracle}), runs them on the runtimes, and shrinks ({@link Shrinker}) and saves every
 * scenario where a runtime logs something other than Node.
 *
 * <p>A mismatch is confirmed before it counts: Node must stay stable over 8 more runs, and the
 * runtime is run twice more (a mismatch that does not always reproduce is reported as flaky and is
 * not shrunk). Exit status: 0 no mismatch, 1 some mismatch or no {@code node}, 2 bad usage.
 */
@Command(
        name = "fuzz",
        header = "Fuzz the runtimes with random scenarios against real Node.",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description =
                "Differential fuzzing: random scenarios on the runtimes against real Node; mismatches are shrunk and saved.")
public final class FuzzCommand implements Callable<Integer> {
    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "first seed (scenario i uses seed N+i; default: from the clock, printed)")
    Long seed;

    @Option(names = "--count", paramLabel = "N", description = "scenarios to generate (default 100)")
    int count = 100;

    @Option(
            names = "--runtime",
            paramLabel = "RUNTIME",
            completionCandidates = ScenariosCommand.RuntimeNames.class,
            description = "runtime to check (${COMPLETION-CANDIDATES}), or all (default all)")
    String runtime = "all";

    @Option(
            names = "--save",
            paramLabel = "DIR",
            description =
                    "where shrunk mismatches go (default conformance/src/test/resources/corpus/fuzz under the loopbench home)")
    Path save;

    @Option(names = "--keep-going", description = "go on after the first mismatching scenario, and shrink every one")
    boolean keepGoing;

    @Option(
            names = "--no-shrink",
            negatable = false,
            description = "report mismatches without shrinking or saving them")
    boolean noShrink;

    @Option(
            names = "--max-shrink",
            paramLabel = "N",
            description = "shrink at most N mismatching scenarios (default: all)")
    int maxShrink = Integer.MAX_VALUE;

    @Option(names = "--jobs", paramLabel = "N", description = "node processes in parallel (default 2)")
    int jobs = 2;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    public FuzzCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    private static final int ROUND = 100;
    private static final int CONFIRM_RUNS = 8;
    /** The corpus directory holds at most this many fuzz scenarios. */
    public static final int MAX_SAVED = 30;

    /** One scenario where some runtime differs from Node. */
    record Mismatch(
            long seed,
            ObjectNode scenario,
            List<String> nodeLog,
            Map<String, RuntimeCheck.Run> runs,
            Map<String, Boolean> flaky) {}

    @Override
    public Integer call() {
        if (count < 1) throw new ParameterException(spec.commandLine(), "--count must be >= 1, got " + count);
        if (jobs < 1) throw new ParameterException(spec.commandLine(), "--jobs must be >= 1, got " + jobs);
        if (maxShrink < 0)
            throw new ParameterException(spec.commandLine(), "--max-shrink must be >= 0, got " + maxShrink);
        List<String> runtimes = ScenariosCommand.RuntimeNames.pick(spec, runtime);
        if (seed == null) seed = System.currentTimeMillis() % 1_000_000_000L;
        if (save == null)
            save = Path.of(System.getProperty("loopbench.home", "."))
                    .resolve("conformance/src/test/resources/corpus/fuzz");
        String node = NodeOracle.nodeVersion();
        if (node == null) {
            err.println("loopbench fuzz: node is not on the PATH; the fuzzer needs real Node (v20) as its reference");
            return 1;
        }
        out.println("fuzz: seeds " + seed + ".." + (seed + count - 1) + ", runtimes " + String.join(", ", runtimes)
                + ", node " + node);
        out.flush();
        try (NodeOracle oracle = new NodeOracle(3, jobs)) {
            return new Session(oracle, runtimes, save, keepGoing, noShrink ? 0 : maxShrink, out, err).fuzz(seed, count);
        }
    }

    /** One fuzzing run and its counts. */
    static final class Session {
        final NodeOracle oracle;
        final List<String> runtimes;
        final Path save;
        final boolean keepGoing;
        final int maxShrink;
        final PrintStream out;
        final PrintStream err;
        final ScenarioGenerator generator = new ScenarioGenerator();
        final RuntimeCheck check = new RuntimeCheck();

        int generated, invalid, nodeErrors, unstable, timingSensitive, lateUnstable, stable;
        final Map<String, int[]> perRuntime = new LinkedHashMap<>(); // matched, mismatched, invalid, flaky
        final List<Mismatch> mismatches = new ArrayList<>();

        Session(
                NodeOracle oracle,
                List<String> runtimes,
                Path save,
                boolean keepGoing,
                int maxShrink,
                PrintStream out,
                PrintStream err) {
            this.oracle = oracle;
            this.runtimes = runtimes;
            this.save = save;
            this.keepGoing = keepGoing;
            this.maxShrink = maxShrink;
            this.out = out;
            this.err = err;
            for (String rt : runtimes) perRuntime.put(rt, new int[4]);
        }

        int fuzz(long seed, int count) {
            long started = System.nanoTime();
            outer:
            for (int from = 0; from < count; from += ROUND) {
                int n = Math.min(ROUND, count - from);
                List<ObjectNode> valid = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    ObjectNode sc = generator.generate(seed + from + i);
                    generated++;
                    try {
                        Scenario.parse(sc, Path.of(sc.get("name").asText() + ".json"));
                        valid.add(sc);
                    } catch (ScenarioException e) {
                        invalid++;
                        err.println("invalid: " + e.getMessage());
                    }
                }
                Map<String, NodeOracle.Verdict> verdicts = oracle.check(valid);
                for (ObjectNode sc : valid) {
                    String name = sc.get("name").asText();
                    NodeOracle.Verdict v = verdicts.get(name);
                    switch (v.status()) {
                        case ERROR -> {
                            nodeErrors++;
                            err.println("node error: " + name + ": " + v.error());
                            continue;
                        }
                        case UNSTABLE -> {
                            unstable++;
                            continue;
                        }
                        case TIMING_SENSITIVE -> {
                            timingSensitive++;
                            continue;
                        }
                        case STABLE -> {}
                    }
                    if (!runOne(Long.parseLong(name.substring("fuzz-".length())), sc, v) && !keepGoing) {
                        break outer;
                    }
                }
                err.printf(
                        "fuzz: %d/%d generated, %d stable, %d mismatching scenarios, %.0f s%n",
                        generated, count, stable, mismatches.size(), (System.nanoTime() - started) / 1e9);
            }
            summary();
            shrinkAll();
            return mismatches.isEmpty() ? 0 : 1;
        }

        /** Runs a Node-stable scenario on every runtime; false if some runtime mismatched (confirmed). */
        boolean runOne(long seed, ObjectNode sc, NodeOracle.Verdict v) {
            Map<String, RuntimeCheck.Run> runs = new LinkedHashMap<>();
            boolean differs = false;
            for (String rt : runtimes) {
                RuntimeCheck.Run r = check.run(sc, rt, v.log());
                runs.put(rt, r);
                differs |= r.outcome() == RuntimeCheck.Outcome.MISMATCH;
            }
            if (differs) {
                // confirm with more Node runs before blaming a runtime
                NodeOracle.Verdict again = oracle.check(List.of(sc), CONFIRM_RUNS)
                        .get(sc.get("name").asText());
                if (!again.usable() || !again.log().equals(v.log())) {
                    lateUnstable++;
                    err.println("dropped " + sc.get("name").asText() + ": Node unstable over " + CONFIRM_RUNS
                            + " more runs");
                    return true;
                }
            }
            stable++;
            Map<String, Boolean> flaky = new LinkedHashMap<>();
            for (String rt : runtimes) {
                RuntimeCheck.Run r = runs.get(rt);
                int[] c = perRuntime.get(rt);
                switch (r.outcome()) {
                    case MATCH -> c[0]++;
                    case INVALID -> {
                        c[2]++;
                        err.println("invalid on " + rt + ": " + sc.get("name").asText() + ": " + r.error());
                    }
                    case MISMATCH -> {
                        c[1]++;
                        int again = check.mismatchesOnRerun(sc, rt, v.log());
                        boolean isFlaky = again < RuntimeCheck.CONFIRM_RUNS;
                        flaky.put(rt, isFlaky);
                        if (isFlaky) c[3]++;
                        out.println("MISMATCH " + sc.get("name").asText() + " on " + rt
                                + (isFlaky
                                        ? " (flaky: " + (again + 1) + "/" + (RuntimeCheck.CONFIRM_RUNS + 1) + " runs)"
                                        : "")
                                + ": "
                                + difference(v.log(), r));
                        out.flush();
                    }
                }
            }
            if (flaky.isEmpty()) return true;
            mismatches.add(new Mismatch(seed, sc, v.log(), runs, flaky));
            return false;
        }

        void summary() {
            out.println();
            out.printf("generated         %6d%n", generated);
            out.printf(
                    "invalid           %6d   (failed Scenario.parse: %d, Node errors: %d)%n",
                    invalid + nodeErrors, invalid, nodeErrors);
            out.printf(
                    "unstable-dropped  %6d   (runs differed: %d, timing-sensitive under --perturb %d: %d, unstable on confirmation: %d)%n",
                    unstable + timingSensitive + lateUnstable,
                    unstable,
                    NodeOracle.PERTURB_MS,
                    timingSensitive,
                    lateUnstable);
            out.printf("stable            %6d%n", stable);
            out.printf("%-12s %8s %11s %8s%n", "runtime", "matched", "mismatched", "invalid");
            for (Map.Entry<String, int[]> e : perRuntime.entrySet()) {
                int[] c = e.getValue();
                out.printf(
                        "%-12s %8d %11d %8d%s%n",
                        e.getKey(), c[0], c[1], c[2], c[3] > 0 ? "   (" + c[3] + " flaky)" : "");
            }
            out.flush();
        }

        void shrinkAll() {
            int shrunk = 0;
            for (Mismatch m : mismatches) {
                String target = null;
                for (Map.Entry<String, Boolean> f : m.flaky().entrySet()) {
                    if (!f.getValue()) {
                        target = f.getKey();
                        break;
                    }
                }
                String name = m.scenario().get("name").asText();
                if (target == null) {
                    out.println(name + ": flaky only, not shrunk");
                    continue;
                }
                if (shrunk++ >= maxShrink) {
                    out.println(name + ": not shrunk (" + (maxShrink == 0 ? "--no-shrink" : "--max-shrink " + maxShrink)
                            + ")");
                    continue;
                }
                out.println("shrinking " + name + " ("
                        + ScenarioGenerator.countOps(m.scenario().get("main")) + " ops) against " + target + "...");
                out.flush();
                Shrinker shrinker = new Shrinker(Shrinker.differential(oracle, check, target), 4, err::println);
                ObjectNode small = shrinker.shrink(m.scenario().deepCopy());
                Saved saved = finish(m, small, target);
                if (saved == null) {
                    out.println("  could not confirm the shrunk scenario; the original is fuzz seed " + m.seed());
                    continue;
                }
                out.println("  " + ScenarioGenerator.countOps(saved.scenario().get("main")) + " ops after "
                        + shrinker.accepted() + " reductions (" + shrinker.tried() + " candidates tried): "
                        + saved.where());
                out.println(indent(ScenarioGenerator.pretty(saved.scenario())));
                out.flush();
            }
        }

        record Saved(ObjectNode scenario, String where) {}

        /** Canonical names, a last check (Node stable over 8 runs, runtime mismatching 3 times in 3), then the file. */
        Saved finish(Mismatch m, ObjectNode small, String target) {
            String name = "fuzz-" + m.seed();
            for (ObjectNode cand : List.of(Shrinker.canonical(small), small)) {
                ObjectNode sc = cand.deepCopy();
                sc.put("name", name);
                NodeOracle.Verdict v = oracle.check(List.of(sc), CONFIRM_RUNS).get(name);
                if (v == null || !v.usable()) continue;
                Map<String, RuntimeCheck.Run> runs = new LinkedHashMap<>();
                boolean always = true;
                for (int k = 0; k < 3 && always; k++) {
                    RuntimeCheck.Run r = check.run(sc, target, v.log());
                    if (k == 0) runs.put(target, r);
                    always = r.outcome() == RuntimeCheck.Outcome.MISMATCH;
                }
                if (!always) continue;
                for (String rt : EventLoops.names()) {
                    if (!rt.equals(target)) runs.put(rt, check.run(sc, rt, v.log()));
                }
                ObjectNode file = JsonNodeFactory.instance.objectNode();
                file.put("name", name);
                file.put("description", describe(m, sc, v.log(), runs));
                file.set("main", sc.get("main"));
                ArrayNode expected = file.putArray("expected");
                v.log().forEach(expected::add);
                return new Saved(file, save(file));
            }
            return null;
        }

        String save(ObjectNode file) {
            try {
                Files.createDirectories(save);
                String canon = Shrinker.canonical(file).get("main").toString();
                List<Path> existing;
                try (Stream<Path> s = Files.list(save)) {
                    existing = s.filter(p -> p.toString().endsWith(".json"))
                            .sorted()
                            .toList();
                }
                for (Path p : existing) {
                    JsonNode other = ScenarioGenerator.JSON.readTree(p.toFile());
                    if (other.isObject()
                            && other.has("main")
                            && Shrinker.canonical((ObjectNode) other)
                                    .get("main")
                                    .toString()
                                    .equals(canon)) {
                        return "same as " + p + ", not saved again";
                    }
                }
                Path target = save.resolve(file.get("name").asText() + ".json");
                if (!Files.exists(target) && existing.size() >= MAX_SAVED) {
                    return "not saved: " + save + " already holds " + existing.size() + " scenarios (at most "
                            + MAX_SAVED + ")";
                }
                Files.writeString(target, ScenarioGenerator.pretty(file) + "\n");
                return "saved " + target;
            } catch (IOException e) {
                return "not saved: " + e.getMessage();
            }
        }

        private static String describe(
                Mismatch m, ObjectNode sc, List<String> nodeLog, Map<String, RuntimeCheck.Run> runs) {
            StringBuilder sb = new StringBuilder("Found by ./loopbench fuzz (seed " + m.seed() + ", shrunk from "
                    + ScenarioGenerator.countOps(m.scenario().get("main")) + " to "
                    + ScenarioGenerator.countOps(sc.get("main"))
                    + " ops). Node logs " + JsValues.stringify(new ArrayList<Object>(nodeLog)) + ";");
            List<String> ok = new ArrayList<>();
            for (RuntimeCheck.Run r : runs.values()) {
                if (r.outcome() == RuntimeCheck.Outcome.MATCH) ok.add(r.runtime());
                else
                    sb.append(" ")
                            .append(r.runtime())
                            .append(" ")
                            .append(difference(nodeLog, r))
                            .append(";");
            }
            if (!ok.isEmpty()) sb.append(" ").append(String.join(", ", ok)).append(" match Node.");
            return sb.toString();
        }
    }

    /** Where a runtime's log first departs from Node's, in a line. */
    static String difference(List<String> node, RuntimeCheck.Run r) {
        if (r.log() == null) return "failed: " + r.error();
        List<String> got = r.log();
        int i = 0;
        while (i < node.size() && i < got.size() && node.get(i).equals(got.get(i))) i++;
        String at = i < node.size() ? "'" + node.get(i) + "'" : "the end";
        String instead = i < got.size() ? "'" + got.get(i) + "'" : "the end";
        return "logs " + JsValues.stringify(new ArrayList<Object>(got)) + " (line " + (i + 1) + ": " + instead
                + " where Node has " + at + ")";
    }

    private static String indent(String s) {
        return "    " + s.replace("\n", "\n    ");
    }
}
