package loopbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import loopbench.core.EventLoopProvider;
import loopbench.core.EventLoops;
import loopbench.report.ReportCommand;
import loopbench.schema.RunFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code loopbench bench [--quick|--full] [--out DIR] [--runtime R] [--load L] ...}: runs the
 * open-loop load harness into a run directory (reports/RESULTS-FORMAT.md), then the micro suite,
 * then writes the report.
 *
 * <p>One JVM is forked per load and runtime ({@link BenchRun}), so runtimes never share a heap, a
 * JIT profile or leftover threads. By default every runtime of a load climbs the same rate ladder
 * ({@code --rates}, or one spanning the runtimes' closed-loop estimates, each taken in a short fork
 * of its own) until it saturates, and its climb's outcome (capacity within the load's p99
 * objective, saturation, estimate) joins results.json. With {@code --fractions} each fork instead
 * runs one point per share of its own estimate. Every finished point is a file under
 * RUN_DIR/points, and results.json / jfr-summary.json are re-assembled from them
 * ({@link RunAssembly}) after each fork. At the end a last fork measures the harness's own cost at
 * the highest rate used (RUN_DIR/harness.json).
 *
 * <p>Backend calls ({@code --backend}, default tcp) go to a delay backend in a JVM of its own
 * ({@link DelayBackendProcess}), to one that already runs, or are simulated by timers. The mode
 * and the backend's address, threads and connections are in run.json ({@code options.backend});
 * each point's {@code params.backend} says what it used ({@code none} for a load without backend calls).
 *
 * <p>Exit status: 0 complete; 1 partial (a point failed, a fork died or timed out) or no
 * benchmarks.jar; 2 bad usage.
 */
@Command(
        name = "bench",
        header = "Run the benchmark suite into a run directory and write its report.",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description =
                "Runs the benchmark suite (latency under load, then the micro suite) into a run directory and writes its report.",
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  LOOPBENCH_BENCH_JAVA_OPTS  JVM options of the forked JVMs, before --jvm-args",
            "                             (default -Xms1g -Xmx1g -XX:+AlwaysPreTouch)"
        })
public final class BenchCommand implements Callable<Integer> {
    static final String DEFAULT_BACKEND = "tcp";

    @Mixin
    BenchOptions options = new BenchOptions();

    private final PrintStream out;
    private final PrintStream err;

    public BenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        BenchOptions o = options;
        BenchOptions.Profile profile = o.profile();
        List<String> loads = o.loads();
        List<String> runtimes = o.runtimes();
        o.check();
        String layout = o.layout;
        List<String> perRequest = EventLoops.names(EventLoopProvider::supportsLoopPerRequest);
        if (layout.equals("per-request") && !perRequest.containsAll(runtimes)) {
            List<String> leftOut =
                    runtimes.stream().filter(r -> !perRequest.contains(r)).toList();
            if (leftOut.size() == runtimes.size()) {
                throw o.usage("--layout per-request needs " + String.join(" or ", perRequest) + ": the "
                        + String.join(", ", leftOut) + " runtime would start platform threads of its own per request");
            }
            runtimes = runtimes.stream().filter(perRequest::contains).toList();
            err.println("bench: --layout per-request: leaving out " + String.join(", ", leftOut)
                    + " (platform threads of its own per request is not a Node server)");
        }
        if (layout.equals("per-request") && o.backend != null && !o.backend.equals("simulated")) {
            throw o.usage(
                    "--layout per-request needs --backend simulated: each request's fresh loop would open TCP connections of its own");
        }
        String backendMode =
                o.backend != null ? o.backend : layout.equals("per-request") ? "simulated" : DEFAULT_BACKEND;
        if (o.backend == null && layout.equals("per-request")) {
            err.println(
                    "bench: --layout per-request: backend calls are simulated (a fresh loop per request would open connections per request)");
        }
        if (loads.stream().noneMatch(BenchOptions.LOADS_WITH_BACKEND_CALLS::contains)) {
            backendMode = "simulated"; // nothing would call it: start no backend
        }
        Map<String, Map<String, Double>> reuse = o.capacityFrom != null ? reusedCapacities(o) : Map.of();
        MeasuredJvm jvm = o.measuredJvm(BenchRun.DEFAULT_JVM_OPTIONS);

        Path home = Machine.home();
        Path jar = Machine.benchmarksJar();
        if (!Files.isRegularFile(jar)) {
            err.println("loopbench bench: " + jar + " is missing; build it with: ./mvnw -DskipTests package");
            return Main.FAILED;
        }
        Path runDir = o.out != null
                ? o.out.toAbsolutePath().normalize()
                : home.resolve("results")
                        .resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(runDir.resolve("run.json")) || Files.exists(runDir.resolve("results.json"))) {
            throw o.usage(runDir + " already holds a run; choose another --out");
        }
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            err.println("loopbench bench: cannot create " + runDir + ": " + e);
            return Main.FAILED;
        }
        DelayBackendProcess backend = new DelayBackendProcess(backendMode, o.backendThreads, o.backendConnections);
        Placement placement = Placement.of(layout, backend.startsOwn());
        BenchRun run = new BenchRun(
                profile,
                runDir,
                jar,
                home,
                loads,
                runtimes,
                layout,
                o.arrival,
                placement,
                !o.noJfr,
                !o.noMicro,
                reuse,
                backend,
                jvm,
                out,
                err);
        int status = run.execute();
        if (!o.noMicro) {
            status = Math.max(status, runMicro(profile, runDir, jvm));
        }
        if (!o.noReport) {
            out.println();
            int r = ReportCommand.write(runDir, null, out, err);
            if (r != 0 && status == 0) {
                status = 1;
            }
        } else {
            out.println("Run directory: " + runDir + " (report: ./loopbench report " + runDir + ")");
        }
        return status;
    }

    /** --capacity-from D: the capacities in D/run.json, by load and runtime; a usage error when there are none. */
    private static Map<String, Map<String, Double>> reusedCapacities(BenchOptions o) {
        Path file = o.capacityFrom.resolve("run.json");
        Map<String, Map<String, Double>> reuse = new LinkedHashMap<>();
        try {
            JsonNode cap = RunFiles.JSON.readTree(file.toFile()).path("capacity");
            cap.fields()
                    .forEachRemaining(l -> l.getValue()
                            .fields()
                            .forEachRemaining(r -> reuse.computeIfAbsent(l.getKey(), k -> new LinkedHashMap<>())
                                    .put(r.getKey(), r.getValue().asDouble())));
        } catch (IOException e) {
            throw o.usage("--capacity-from: cannot read " + file + ": " + e.getMessage());
        }
        if (reuse.isEmpty()) {
            throw o.usage("--capacity-from: " + file + " holds no capacities");
        }
        return reuse;
    }

    /**
     * The micro suite into the same run directory, so the report has its cost-per-operation chart
     * beside the latency figures: on the quick profile only the operations Node is compared on, with
     * short JMH settings (a smoke figure; `./loopbench micro` is the measurement).
     */
    private int runMicro(BenchOptions.Profile p, Path runDir, MeasuredJvm jvm) {
        out.println();
        out.println("bench: micro suite" + (p.name().equals("quick") ? " (quick: Node-comparable operations)" : ""));
        MicroCommand micro = new MicroCommand(out, err);
        micro.withNode = true;
        micro.outDir = runDir.toString();
        micro.jvm = jvm;
        if (p.name().equals("quick")) {
            micro.quick = true;
            micro.jmhArgs = new ArrayList<>(List.of(
                    "loopbench\\.bench\\.micro\\.(PromiseCost|JobQueueCost|ImmediateCost|TimerCost|AwaitCost|ArrayDequeFloor)\\..*",
                    "-wi",
                    "1",
                    "-w",
                    "500ms",
                    "-i",
                    "2",
                    "-r",
                    "500ms"));
        }
        int r = micro.measure();
        if (r != 0) {
            err.println("bench: the micro suite failed (exit " + r + "); the load results are complete");
        }
        return r == 0 ? 0 : 1;
    }
}
