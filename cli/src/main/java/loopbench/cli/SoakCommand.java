package loopbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import loopbench.core.EventLoops;
import loopbench.core.io.AtomicFile;
import loopbench.report.NumberText;
import loopbench.report.SoakChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loopbench soak [--minutes N] [--runtime R|all] [--out DIR] [--rate R] [--sample-seconds S]}:
 * the soak test (issue #9), not part of CI. Starts one JVM per runtime ({@code
 * loopbench.bench.soak.Soak} from benchmarks/target/benchmarks.jar), all at once, so the runtimes
 * share the same wall time (10 minutes for all three, not 30) and each heap figure is one
 * runtime's. Each child churns its loop, samples the live heap and its threads, judges them and
 * writes {@code soak-RUNTIME.json/.csv}; this command relays their output prefixed with the
 * runtime, then merges their files into {@code soak.json} (settings, JDK, machine, every runtime's
 * verdict and samples), {@code soak.csv} and the chart {@code soak-heap.png} (and .svg), each
 * written atomically, and prints one line per runtime.
 *
 * <p>Every child is waited for (or killed after twice the planned time plus two minutes, or on
 * Ctrl-C), and the threads relaying its output end with it. Exit status: 0 every runtime flat;
 * 1 a runtime not flat (the reasons are printed), a child failed, or no benchmarks.jar; 2 bad usage.
 */
@Command(
        name = "soak",
        header = "Soak test: is the heap after GC flat, is no thread left over?",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description =
                "The soak test: each runtime churns its loop in a JVM of its own, side by side; fails unless the heap "
                        + "after GC stays flat and no thread is left over. Writes DIR/soak.json, soak.csv and soak-heap.png.",
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  LOOPBENCH_SOAK_JAVA_OPTS  the children's JVM options",
            "                            (default -Xmx512m)"
        })
public final class SoakCommand implements Callable<Integer> {
    static final String RUNNER = "loopbench.bench.soak.Soak";
    static final int MIN_SAMPLES =
            8; // loopbench.bench.soak.HeapTrend.MIN_SAMPLES: checked here too, to fail before starting three JVMs
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(
            names = "--minutes",
            paramLabel = "N",
            description = "how long each runtime churns, fractions allowed (default 10)")
    double minutes = 10;

    @Option(
            names = "--runtime",
            paramLabel = "R[,R...]",
            completionCandidates = BenchOptions.RuntimeNames.class,
            description = "${COMPLETION-CANDIDATES}, a comma list, or all (default: all)")
    String runtime = "all";

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "the soak directory (default results/soak-<timestamp>; must not hold a soak already)")
    Path out;

    @Option(
            names = "--rate",
            paramLabel = "R",
            description = "operations per second on each runtime's loop (default 2000)")
    double rate = 2000;

    @Option(
            names = "--sample-seconds",
            paramLabel = "S",
            description = "time between samples (default 5; at least 8 samples are needed)")
    double sampleSeconds = 5;

    @Spec
    CommandSpec spec;

    private final PrintStream stdout;
    private final PrintStream stderr;

    record Settings(List<String> runtimes, double minutes, double rate, double sampleSeconds, Path out) {}

    public SoakCommand(PrintStream out, PrintStream err) {
        this.stdout = out;
        this.stderr = err;
    }

    @Override
    public Integer call() {
        Settings s = settings();
        Path home = Machine.home();
        Path jar = Machine.benchmarksJar();
        if (!Files.isRegularFile(jar)) {
            stderr.println("loopbench soak: " + jar + " is missing; build it with: ./mvnw -DskipTests package");
            return Main.FAILED;
        }
        Path dir = s.out() != null
                ? s.out().toAbsolutePath().normalize()
                : home.resolve("results")
                        .resolve("soak-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(dir.resolve("soak.json"))) {
            throw new ParameterException(
                    spec.commandLine(), dir + " already holds a soak (soak.json); choose another --out");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            stderr.println("loopbench soak: cannot create " + dir + ": " + e.getMessage());
            return Main.FAILED;
        }
        return execute(s, dir, jar, home, stdout, stderr);
    }

    /** The options, checked. */
    Settings settings() {
        List<String> runtimes = BenchOptions.pick(spec, "--runtime", runtime, EventLoops.names());
        check("--minutes", minutes, 1e-3, 24 * 60, "minutes (fractions allowed)");
        check("--rate", rate, 1, 100_000, "operations per second");
        check("--sample-seconds", sampleSeconds, 0.05, 600, "seconds");
        long samples = (long) Math.floor(minutes * 60 / sampleSeconds + 1e-9);
        if (samples < MIN_SAMPLES) {
            throw new ParameterException(
                    spec.commandLine(),
                    String.format(
                            Locale.ROOT,
                            "--minutes %s with --sample-seconds %s gives %d samples; the verdict needs at least %d: run longer or sample more often",
                            NumberText.plain(minutes),
                            NumberText.plain(sampleSeconds),
                            samples,
                            MIN_SAMPLES));
        }
        return new Settings(runtimes, minutes, rate, sampleSeconds, out);
    }

    private void check(String name, double value, double min, double max, String unit) {
        if (!(value >= min) || value > max) {
            throw new ParameterException(
                    spec.commandLine(),
                    name + " must be in [" + NumberText.plain(min) + ", " + NumberText.plain(max) + "] " + unit
                            + ", got " + NumberText.plain(value));
        }
    }

    private static int execute(Settings s, Path dir, Path jar, Path home, PrintStream out, PrintStream err) {
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long t0 = System.nanoTime();
        List<String> jvm = ForkedJvm.options("LOOPBENCH_SOAK_JAVA_OPTS", List.of("-Xmx512m"));
        out.printf(
                Locale.ROOT,
                "soak: %s side by side for %s min at %s operations/s each, a sample every %s s; into %s%n",
                String.join(", ", s.runtimes()),
                NumberText.plain(s.minutes()),
                NumberText.plain(s.rate()),
                NumberText.plain(s.sampleSeconds()),
                dir);
        Map<String, ForkedJvm> children = new LinkedHashMap<>();
        Map<String, Integer> exits = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        // the whole soak's budget: twice the planned time plus two minutes, counted from the start
        Duration budget = Duration.ofMillis((long) (s.minutes() * 60_000 * 2) + 120_000);
        try {
            for (String r : s.runtimes()) {
                List<String> cmd = ForkedJvm.command(
                        jvm,
                        home,
                        jar,
                        RUNNER,
                        List.of(
                                "--runtime",
                                r,
                                "--minutes",
                                NumberText.plain(s.minutes()),
                                "--rate",
                                NumberText.plain(s.rate()),
                                "--sample-seconds",
                                NumberText.plain(s.sampleSeconds()),
                                "--out",
                                dir.toString()));
                try {
                    children.put(
                            r,
                            ForkedJvm.start(
                                    cmd,
                                    home,
                                    line -> out.println("[" + r + "] " + line),
                                    line -> err.println("[" + r + "] " + line),
                                    budget,
                                    false));
                    exits.put(r, -1);
                } catch (IOException e) {
                    failures.add(r + ": cannot start the JVM: " + e.getMessage());
                }
            }
            for (Map.Entry<String, ForkedJvm> c : children.entrySet()) {
                int exit = c.getValue().waitFor();
                if (c.getValue().timedOut()) {
                    failures.add(c.getKey() + ": still running " + budget.toSeconds() + " s after the start (planned "
                            + NumberText.duration(s.minutes() * 60) + "); killed");
                }
                exits.put(c.getKey(), exit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted");
        } finally {
            children.values().forEach(ForkedJvm::kill);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        try {
            return merge(s, dir, exits, failures, started, wall, jvm, home, out, err);
        } catch (IOException e) {
            err.println("loopbench soak: writing the merged files in " + dir + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** soak.json, soak.csv and the chart from the children's files; the summary; the exit status. */
    static int merge(
            Settings s,
            Path dir,
            Map<String, Integer> exits,
            List<String> failures,
            Instant started,
            double wall,
            List<String> jvm,
            Path home,
            PrintStream out,
            PrintStream err)
            throws IOException {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("schema", 1);
        doc.put("started", started.toString());
        doc.put("finished", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        doc.put("wallSeconds", Math.round(wall * 10) / 10.0);
        ObjectNode settings = doc.putObject("settings");
        settings.put("minutes", s.minutes());
        settings.put("rate", s.rate());
        settings.put("sampleSeconds", s.sampleSeconds());
        settings.set("runtimes", JSON.valueToTree(s.runtimes()));
        settings.set("jvmArgs", JSON.valueToTree(jvm));
        ObjectNode jdk = doc.putObject("jdk");
        jdk.put("version", System.getProperty("java.version"));
        jdk.put("vendor", System.getProperty("java.vendor"));
        jdk.put("vm", System.getProperty("java.vm.name"));
        ObjectNode machine = doc.putObject("machine");
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("cpu", Machine.cpuModel());
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        String commit = Machine.firstLine(home, "git", "rev-parse", "HEAD");
        if (commit != null) {
            doc.putObject("git").put("commit", commit);
        }
        ObjectNode runtimes = doc.putObject("runtimes");
        List<String> problems = new ArrayList<>(failures);
        List<SoakChart.Series> series = new ArrayList<>();
        StringBuilder csv = new StringBuilder();
        List<String> table = new ArrayList<>();
        for (String r : exits.keySet()) {
            Path file = dir.resolve("soak-" + r + ".json");
            JsonNode child;
            try {
                child = JSON.readTree(file.toFile());
            } catch (IOException e) {
                problems.add(r + ": no result (" + file.getFileName() + ": " + e.getMessage() + "; JVM exit status "
                        + exits.get(r) + ")");
                continue;
            }
            runtimes.set(r, child);
            Path childCsv = dir.resolve("soak-" + r + ".csv");
            if (Files.isRegularFile(childCsv)) {
                List<String> lines = Files.readAllLines(childCsv, StandardCharsets.UTF_8);
                for (int i = csv.isEmpty() ? 0 : 1; i < lines.size(); i++) {
                    csv.append(lines.get(i)).append('\n');
                }
            }
            JsonNode samples = child.path("samples");
            double[] minutes = new double[samples.size()];
            double[] heap = new double[samples.size()];
            for (int i = 0; i < samples.size(); i++) {
                minutes[i] = samples.get(i).path("seconds").asDouble() / 60;
                heap[i] = samples.get(i).path("heapAfterGcBytes").asDouble();
            }
            series.add(new SoakChart.Series(r, minutes, heap));
            boolean flat = child.path("verdict").path("flat").asBoolean(false);
            if (!flat) {
                child.path("verdict").path("reasons").forEach(x -> problems.add(r + ": " + x.asText()));
                if (child.path("verdict").path("reasons").isEmpty()) {
                    problems.add(r + ": not flat");
                }
            } else if (exits.get(r) != 0) {
                problems.add(r + ": JVM exit status " + exits.get(r));
            }
            table.add(row(r, child, heap));
        }
        boolean allFlat = problems.isEmpty();
        doc.put("flat", allFlat);
        ArrayNode reasons = doc.putArray("problems");
        problems.forEach(reasons::add);
        AtomicFile.write(dir.resolve("soak.json"), JSON.writeValueAsBytes(doc));
        if (!csv.isEmpty()) {
            AtomicFile.write(dir.resolve("soak.csv"), csv.toString());
        }
        if (!series.isEmpty()) {
            SoakChart.write(
                    series,
                    String.format(
                            Locale.ROOT,
                            "Soak: heap after GC, %s min at %s ops/s per runtime",
                            NumberText.plain(s.minutes()),
                            NumberText.plain(s.rate())),
                    dir);
        }
        out.println();
        out.println(
                "runtime      heap after GC: start     mid     end (MiB)  growth Q2->Q4  slope/10min  threads base/max/after        ops  verdict");
        table.forEach(out::println);
        out.printf(
                Locale.ROOT,
                "soak: %s in %s; %s%n",
                allFlat ? "FLAT" : "NOT FLAT",
                NumberText.duration(wall),
                dir.resolve("soak.json") + ", soak.csv, soak-heap.png");
        for (String p : problems) {
            err.println("loopbench soak: " + p);
        }
        return allFlat ? 0 : 1;
    }

    private static String row(String runtime, JsonNode child, double[] heap) {
        JsonNode h = child.path("verdict").path("heap");
        JsonNode t = child.path("threads");
        double mib = 1024.0 * 1024.0;
        String start = heap.length > 0 ? String.format(Locale.ROOT, "%.2f", heap[0] / mib) : "-";
        String mid = heap.length > 0 ? String.format(Locale.ROOT, "%.2f", heap[heap.length / 2] / mib) : "-";
        String end = heap.length > 0 ? String.format(Locale.ROOT, "%.2f", heap[heap.length - 1] / mib) : "-";
        return String.format(
                Locale.ROOT,
                "%-12s %24s %7s %7s  %+10.3f MiB  %+7.3f MiB  %8d/%d/%d  %12s  %s",
                runtime,
                start,
                mid,
                end,
                h.path("growthBytes").asDouble() / mib,
                h.path("projectedBytesPer10Minutes").asDouble() / mib,
                t.path("baseline").asInt(),
                t.path("maxDuringRun").asInt(),
                t.path("afterClose").asInt(),
                String.format(
                        Locale.ROOT, "%,d", child.path("ops").path("completed").asLong()),
                child.path("verdict").path("flat").asBoolean(false) ? "flat" : "NOT FLAT");
    }
}
