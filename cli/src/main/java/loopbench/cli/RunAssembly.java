package loopbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import loopbench.schema.RunFiles;
import loopbench.schema.RunInfo;

/**
 * A run directory's assembled files (reports/RESULTS-FORMAT.md): results.json and jfr-summary.json
 * by the schema's one {@link RunFiles#assemble}, and run.json as a {@link RunInfo} from what the
 * run knows and what this machine says. Each file is written atomically.
 */
final class RunAssembly {
    private RunAssembly() {}

    /** What the run knows about itself for run.json. {@code finished} is null while it runs. */
    record Settings(
            String profile,
            Instant started,
            Instant finished,
            List<String> failures,
            List<String> loads,
            List<String> runtimes,
            List<Double> fractions,
            Map<String, List<Double>> ladders,
            Map<String, Double> sloP99Ms,
            double seconds,
            double warmup,
            String layout,
            String arrival,
            JsonNode placement,
            boolean jfr,
            boolean micro,
            JsonNode backend,
            MeasuredJvm jvm,
            boolean capacityReused,
            Map<String, Map<String, Double>> capacity,
            JsonNode harness) {}

    /** results.json and jfr-summary.json from the finished points; a point file that does not parse is left out and named. */
    static void assemble(Path dir, PrintStream err) throws IOException {
        RunFiles.assemble(dir, problem -> err.println("bench: " + problem));
    }

    /** run.json: the run's settings, the machine, the checkout, and whether it is complete. */
    static void writeRunInfo(Path dir, Path home, Settings s) throws IOException {
        boolean partial = !s.failures().isEmpty();
        String commit = Machine.firstLine(home, "git", "rev-parse", "HEAD");
        RunInfo.Git git = null;
        if (commit != null) {
            String status = Machine.firstLine(home, "git", "status", "--porcelain", "--untracked-files=no");
            git = new RunInfo.Git(commit, status == null ? null : !status.isBlank());
        }
        String nodeVersion = Machine.firstLine(home, "node", "--version");
        RunInfo info = new RunInfo(
                RunFiles.SCHEMA,
                s.profile(),
                s.started().toString(),
                s.finished() == null
                        ? null
                        : s.finished().truncatedTo(ChronoUnit.SECONDS).toString(),
                partial,
                partial ? String.join("; ", s.failures()) : null,
                new RunInfo.Jdk(
                        System.getProperty("java.version"),
                        System.getProperty("java.vendor"),
                        System.getProperty("java.vm.name")),
                new RunInfo.Os(System.getProperty("os.name"), System.getProperty("os.arch")),
                new RunInfo.Cpu(Machine.cpuModel(), Runtime.getRuntime().availableProcessors()),
                git,
                options(s),
                nodeVersion != null && nodeVersion.startsWith("v") ? new RunInfo.Node(nodeVersion) : null,
                s.capacity(),
                s.harness(),
                s.jvm().toRunInfo());
        RunFiles.write(dir.resolve("run.json"), info);
    }

    /** run.json's free-form {@code options}: how the run was asked for, as far as a rerun needs it. */
    private static ObjectNode options(Settings s) {
        ObjectNode o = RunFiles.JSON.createObjectNode();
        o.put("profile", s.profile());
        o.set("loads", RunFiles.JSON.valueToTree(s.loads()));
        o.set("runtimes", RunFiles.JSON.valueToTree(s.runtimes()));
        if (s.fractions() != null) {
            o.set("fractions", RunFiles.JSON.valueToTree(s.fractions()));
        } else {
            o.set("ladder", RunFiles.JSON.valueToTree(s.ladders()));
            o.set("sloP99Ms", RunFiles.JSON.valueToTree(s.sloP99Ms()));
        }
        o.put("seconds", s.seconds());
        o.put("warmupSeconds", s.warmup());
        o.put("layout", s.layout());
        o.put("arrival", s.arrival());
        o.put("seed", 42);
        o.put("inFlightLimit", 10_000);
        o.put("jfr", s.jfr());
        o.put("micro", s.micro());
        o.set("backend", s.backend());
        o.set("placement", s.placement());
        o.set("jvmArgs", RunFiles.JSON.valueToTree(s.jvm().args()));
        if (s.capacityReused()) {
            o.put("capacityFrom", "reused");
        }
        return o;
    }
}
