package loopbench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import loopbench.core.EventLoops;
import loopbench.report.NumberText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loopbench validate [--runtime R] [--seconds S] [--tolerance PCT]}: the load harness checked
 * against queueing theory. One forked JVM ({@code LoadRunner validate}, see
 * {@code loopbench.bench.load.Validation}) runs {@code cpu-blocking} on a single loop with Poisson
 * arrivals, measures its service times, then runs it at utilisations 0.5 and 0.8 and prints each
 * measured mean latency beside the Pollaczek-Khinchine mean for an M/G/1 queue.
 *
 * <p>Exit status: 0 every point within the tolerance; 1 a point outside it (the output says where the
 * time may go), the run failed, or no benchmarks.jar; 2 bad usage.
 */
@Command(
        name = "validate",
        header = "Check the harness against M/G/1: measured mean latency vs Pollaczek-Khinchine.",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "Runs cpu-blocking on one loop with Poisson arrivals at utilisations 0.5 and 0.8 and compares "
                + "each measured mean latency with the Pollaczek-Khinchine mean of its measured service times "
                + "(about 1.5 minutes). Exit 0 when every point is within the tolerance.",
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  LOOPBENCH_BENCH_JAVA_OPTS  JVM options of the forked JVM (default -Xms1g -Xmx1g -XX:+AlwaysPreTouch)"
        })
public final class ValidateCommand implements Callable<Integer> {
    private static final String RUNNER = "loopbench.bench.load.LoadRunner";

    @Spec
    CommandSpec spec;

    @Option(
            names = "--runtime",
            paramLabel = "R",
            description = "the runtime whose loop is the queue: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}, "
                    + "the registry's first: one platform thread, the M/G/1 queue itself)",
            completionCandidates = BenchOptions.RuntimeNames.class)
    String runtime = loopbench.core.EventLoops.names().get(0);

    @Option(
            names = "--seconds",
            paramLabel = "S",
            description = "length of the rho 0.5 point, 5..600; the rho 0.8 point, whose mean converges slower, "
                    + "runs 3x as long (default 20)")
    double seconds = 20;

    @Option(
            names = "--tolerance",
            paramLabel = "PCT",
            description = "the relative error of the mean latency that passes, in percent, (0, 100] (default 10)")
    double tolerance = 10;

    private final PrintStream out;
    private final PrintStream err;

    public ValidateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!EventLoops.names().contains(runtime)) {
            throw usage(
                    "unknown runtime '" + runtime + "' for --runtime: use " + String.join(", ", EventLoops.names()));
        }
        if (!(seconds >= 5) || seconds > 600) {
            throw usage("--seconds must be in [5, 600] (the mean of a shorter point is mostly noise), got "
                    + NumberText.plain(seconds));
        }
        if (!(tolerance > 0) || tolerance > 100) {
            throw usage("--tolerance must be a percentage in (0, 100], got " + NumberText.plain(tolerance));
        }
        Path jar = Machine.benchmarksJar();
        if (!Files.isRegularFile(jar)) {
            err.println("loopbench validate: " + jar + " is missing; build it with: ./mvnw -DskipTests package");
            return Main.FAILED;
        }
        List<String> args = List.of(
                "validate",
                "--runtime",
                runtime,
                "--seconds",
                NumberText.plain(seconds),
                "--tolerance",
                NumberText.plain(tolerance));
        List<String> jvm = BenchRun.DEFAULT_JVM_OPTIONS;
        try {
            ForkedJvm child = ForkedJvm.start(
                    ForkedJvm.command(jvm, Machine.home(), jar, RUNNER, args),
                    Machine.home(),
                    out::println,
                    line -> err.println("    " + line),
                    Duration.ofSeconds((long) (seconds * 4 + 8 + 120)),
                    false);
            int status = child.waitFor();
            if (child.timedOut()) {
                err.println("loopbench validate: the run took too long and was stopped");
                return Main.FAILED;
            }
            return status == 0 ? 0 : Main.FAILED;
        } catch (IOException e) {
            err.println("loopbench validate: cannot start the JVM: " + e.getMessage());
            return Main.FAILED;
        }
    }

    private ParameterException usage(String problem) {
        return new ParameterException(spec.commandLine(), problem);
    }
}
