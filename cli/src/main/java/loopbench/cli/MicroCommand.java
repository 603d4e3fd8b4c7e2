package loopbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import loopbench.core.io.AtomicFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./loopbench micro [--with-node] [--out DIR] [--quick] [-- JMH args]}: the micro suite
 * (JMH benchmarks {@code loopbench.bench.micro.*} in benchmarks/target/benchmarks.jar), optionally
 * Node's figures for the same operations (benchmarks/node/node-micro.js), and a table of ns/op per
 * operation and runtime with the ratios to Node and to the ArrayDeque floor.
 *
 * <p>Writes {@code DIR/micro.json} (JMH JSON) and, with {@code --with-node}, {@code DIR/node.json}
 * (see reports/RESULTS-FORMAT.md), each atomically; Node's figures are also added to micro.json
 * as records with {@code runtime = node}. Exit status: 0 when everything ran, 1 when a run
 * failed (the message says which, a missing benchmarks.jar included), 2 on bad usage.
 */
@Command(
        name = "micro",
        header = "JMH cost per loop operation, optionally next to Node's.",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description =
                "Runs the JMH micro suite (the cost of each loop operation on every runtime, plus the ArrayDeque floor) "
                        + "and prints ns/op per operation and runtime, optionally next to Node's.")
public final class MicroCommand implements Callable<Integer> {
    static final String PATTERN = "loopbench\\.bench\\.micro\\..*";
    static final String NODE_SCRIPT = "benchmarks/node/node-micro.js";
    /** --quick: one short fork; each is dropped when the JMH args set the same option. */
    static final List<String[]> QUICK = List.of(
            new String[] {"-f", "1"},
            new String[] {"-wi", "2"},
            new String[] {"-w", "1s"},
            new String[] {"-i", "3"},
            new String[] {"-r", "1s"});
    /** JMH options that take no value (all others take one), to tell a benchmark pattern from an option value. */
    private static final Set<String> JMH_FLAGS = Set.of("-l", "-lp", "-lrf", "-lprof", "-h", "-help", "--help");

    @Option(
            names = "--with-node",
            description = "also time the same operations on Node.js (node on PATH) -> DIR/node.json")
    boolean withNode;

    @Option(names = "--quick", description = "short JMH settings: -f 1 -wi 2 -w 1s -i 3 -r 1s")
    boolean quick;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "where micro.json (and node.json) go; default results/micro-<timestamp>")
    String outDir;

    /** bench --java-home/--jvm-args: the JVM JMH runs on and forks, and the options its forks get; null: this one's. */
    MeasuredJvm jvm;

    @Parameters(
            paramLabel = "JMH_ARGS",
            description = "after --: passed to JMH, e.g. -- -prof stack, or -- 'JobQueueCost|ImmediateCost' "
                    + "-p runtime=loop; a benchmark pattern there replaces the default loopbench.bench.micro.* (JMH's gc profiler always "
                    + "runs: bytes per operation are in the results)")
    List<String> jmhArgs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    public MicroCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        List<String> given = spec.commandLine().getParseResult().originalArgs();
        int dashes = given.indexOf("--");
        int afterDashes = dashes < 0 ? 0 : given.size() - dashes - 1;
        if (jmhArgs.size() > afterDashes) {
            throw new ParameterException(
                    spec.commandLine(), "unexpected argument '" + jmhArgs.get(0) + "' (JMH options go after --)");
        }
        return measure();
    }

    /** Runs JMH (and Node) with the options set; 0 when everything ran, 1 when something failed. */
    int measure() {
        Path home = Machine.home();
        Path jar = Machine.benchmarksJar();
        if (!Files.isRegularFile(jar)) {
            err.println("loopbench micro: " + jar + " is missing; build it with: ./mvnw -DskipTests package");
            return 1;
        }
        Path dir = outDir != null
                ? Path.of(outDir).toAbsolutePath().normalize()
                : home.resolve("results")
                        .resolve("micro-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            err.println("loopbench micro: cannot create " + dir + ": " + e.getMessage());
            return 1;
        }

        List<String> failures = new ArrayList<>();
        Path microJson = dir.resolve("micro.json");
        runJmh(jar, dir, microJson, quick, withJvm(jmhArgs), out, err, failures);

        Path nodeJson = dir.resolve("node.json");
        if (withNode) {
            runNode(home, nodeJson, quick, out, err, failures);
        }

        JsonNode micro = readJson(microJson, err);
        JsonNode node = withNode && Files.isRegularFile(nodeJson) ? readJson(nodeJson, err) : null;
        if (micro != null && micro.isArray() && node != null) {
            // Node as a fourth column of the same results file (NodeBaseline says how).
            try {
                micro = loopbench.report.NodeBaseline.mergeInto(micro, node);
                AtomicFile.write(
                        microJson,
                        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(micro));
            } catch (IOException e) {
                failures.add("cannot add Node's figures to " + microJson + ": " + e.getMessage());
            }
        }
        if (micro != null && micro.isArray()) {
            out.println();
            MicroSummary.print(micro, node, out);
        }
        out.println();
        if (Files.isRegularFile(microJson)) out.println("JMH results: " + microJson);
        if (withNode && Files.isRegularFile(nodeJson)) out.println("Node results: " + nodeJson);
        if (!failures.isEmpty()) {
            err.println("loopbench micro: " + failures.size() + " failure(s):");
            for (String f : failures) err.println("  - " + f);
            return 1;
        }
        return 0;
    }

    // ------------------------------------------------------------------ JMH

    static List<String> jmhCommand(Path jar, Path resultFile, boolean quick, List<String> user) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ForkedJvm.java());
        cmd.add("-jar");
        cmd.add(jar.toString());
        if (!hasPattern(user)) cmd.add(PATTERN);
        cmd.addAll(List.of("-rf", "json", "-rff", resultFile.toString()));
        // Bytes per operation are a target ("no allocation beyond the callback"): always measured. The
        // gc profiler reads counters at iteration boundaries, so the ns/op figures do not pay for it.
        if (!profiles(user, "gc")) cmd.addAll(List.of("-prof", "gc"));
        if (quick) {
            for (String[] opt : QUICK) {
                if (!user.contains(opt[0])) cmd.addAll(Arrays.asList(opt));
            }
        }
        cmd.addAll(user);
        return cmd;
    }

    /** Whether the JMH args already ask for the profiler {@code name} ({@code -prof gc}, {@code -prof gc:opts}). */
    static boolean profiles(List<String> jmhArgs, String name) {
        for (int i = 0; i + 1 < jmhArgs.size(); i++) {
            String v = jmhArgs.get(i + 1);
            if (jmhArgs.get(i).equals("-prof") && (v.equals(name) || v.startsWith(name + ":"))) return true;
        }
        return false;
    }

    /** Whether the JMH args hold a benchmark pattern: a word that is neither an option nor an option's value. */
    static boolean hasPattern(List<String> jmhArgs) {
        for (int i = 0; i < jmhArgs.size(); i++) {
            String a = jmhArgs.get(i);
            if (a.startsWith("-")) {
                if (!JMH_FLAGS.contains(a)) i++; // skip its value
            } else {
                return true;
            }
        }
        return false;
    }

    /** JMH forks on the measured JVM ({@code -jvm}) with --jvm-args appended to each benchmark's own options. */
    private List<String> withJvm(List<String> user) {
        if (jvm == null) return user;
        List<String> all = new ArrayList<>(user);
        all.addAll(List.of("-jvm", jvm.java()));
        if (!jvm.userArgs().isEmpty()) all.addAll(List.of("-jvmArgsAppend", String.join(" ", jvm.userArgs())));
        return all;
    }

    private static void runJmh(
            Path jar,
            Path dir,
            Path microJson,
            boolean quick,
            List<String> user,
            PrintStream out,
            PrintStream err,
            List<String> failures) {
        Path tmp = dir.resolve(".micro.json." + ProcessHandle.current().pid() + ".tmp");
        List<String> cmd = jmhCommand(jar, tmp, quick, user);
        out.println("loopbench micro: " + String.join(" ", cmd));
        out.flush();
        Set<String> failed = new LinkedHashSet<>();
        int status;
        try {
            Files.deleteIfExists(tmp);
            String[] current = {"?", ""}; // the benchmark and parameters JMH is running, for a failure's name
            ForkedJvm jmh = ForkedJvm.start(
                    cmd,
                    Machine.home(),
                    line -> {
                        out.println(line);
                        out.flush();
                        if (line.startsWith("# Benchmark: ")) {
                            current[0] =
                                    line.substring("# Benchmark: ".length()).trim();
                            current[1] = "";
                        } else if (line.startsWith("# Parameters: ")) {
                            current[1] = " "
                                    + line.substring("# Parameters: ".length()).trim();
                        } else if (line.contains("<failure>")) { // "<failure>" alone, or "Iteration   1: <failure>"
                            failed.add(current[0] + current[1]);
                        }
                    },
                    null,
                    null,
                    false);
            status = jmh.waitFor();
        } catch (IOException e) {
            failures.add("JMH could not be started: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted while JMH was running");
            return;
        }
        for (String f : failed) failures.add("JMH benchmark failed: " + f);
        if (status != 0) failures.add("JMH exited with status " + status);
        try {
            if (Files.isRegularFile(tmp) && Files.size(tmp) > 0) {
                moveAtomically(tmp, microJson);
            } else if (status == 0 && !user.contains("-l") && !user.contains("-h")) {
                failures.add("JMH wrote no results (" + tmp.getFileName()
                        + " is missing): did the pattern match no benchmark?");
            }
        } catch (IOException e) {
            failures.add("cannot write " + microJson + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ------------------------------------------------------------------ Node

    static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static void runNode(
            Path home, Path nodeJson, boolean quick, PrintStream out, PrintStream err, List<String> failures) {
        Path node = findOnPath("node");
        if (node == null) {
            out.println("loopbench micro: --with-node: node is not on PATH; the Node column is skipped");
            return;
        }
        Path script = home.resolve(NODE_SCRIPT);
        if (!Files.isRegularFile(script)) {
            failures.add("Node: " + script + " is missing");
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(node.toString(), "--expose-gc", script.toString()));
        if (quick) cmd.add("--quick");
        out.println();
        out.println("loopbench micro: " + String.join(" ", cmd));
        out.flush();
        String stdout;
        int status;
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            p.getOutputStream().close();
            Thread pump = new Thread(() -> copy(p.getErrorStream(), err), "micro-node-stderr");
            pump.setDaemon(true);
            pump.start();
            stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            status = p.waitFor();
            pump.join(5_000);
        } catch (IOException e) {
            failures.add("Node could not be started: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted while Node was running");
            return;
        }
        if (status != 0) {
            failures.add("Node (" + script.getFileName() + ") exited with status " + status);
            return;
        }
        String json = null;
        for (String line : stdout.split("\\R")) {
            if (line.startsWith("{")) json = line;
        }
        try {
            ObjectMapper mapper = new ObjectMapper();
            JsonNode root = json == null ? null : mapper.readTree(json);
            if (root == null || !root.path("ops").isObject()) {
                failures.add("Node printed no result object with \"ops\"; its output was: " + stdout.strip());
                return;
            }
            out.println(json);
            byte[] pretty = mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root);
            AtomicFile.write(
                    nodeJson, (new String(pretty, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            failures.add("Node's result could not be read or written to " + nodeJson + ": " + e.getMessage());
        }
    }

    private static void copy(InputStream in, PrintStream to) {
        try (in) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readJson(Path file, PrintStream err) {
        if (!Files.isRegularFile(file)) return null;
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            err.println("loopbench micro: cannot read " + file + ": " + e.getMessage());
            return null;
        }
    }
}
