package loopbench.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import loopbench.compare.CompareCommand;
import loopbench.conformance.ScenariosCommand;
import loopbench.conformance.fuzz.FuzzCommand;
import loopbench.report.ReportCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code loopbench COMMAND ...}: the root command; every subcommand is a picocli command whose
 * {@code --help} is generated from its options.
 *
 * <p>One error style for every command: bad usage (an unknown option, a missing or malformed
 * value, an unknown runtime or load) is one line on stderr, {@code loopbench CMD: what is wrong},
 * then a hint line, and exit status 2. A run that fails (including a missing build artifact) exits 1.
 */
@Command(
        name = "loopbench",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "Node.js event-loop semantics three ways on the JVM: conformance, benchmarks, reports.",
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  LOOPBENCH_JAVA_HOME   the JDK 21+ to use (default: JAVA_HOME, java on PATH,",
            "                        or the newest installed)",
            "  LOOPBENCH_JAVA_OPTS   extra JVM options, e.g. -Xmx2g",
            "  LOOPBENCH_NO_BUILD=1  do not check whether the build is stale"
        },
        version = {"loopbench 0.1.0-SNAPSHOT", "JVM: ${java.version} (${java.vendor} ${java.vm.name})"},
        subcommands = CommandLine.HelpCommand.class)
public final class Main implements Runnable {
    /** Exit status of bad usage, for every command (picocli's default too). */
    public static final int USAGE = 2;
    /** Exit status of a run that failed. */
    public static final int FAILED = 1;

    @Spec
    CommandSpec spec;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns its exit status and never exits. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return commandLine(out, err).execute(args);
    }

    /** The root command with every subcommand, printing to out and err. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        for (Object sub : List.of(
                new ScenariosCommand(out, err),
                new BenchCommand(out, err),
                new MicroCommand(out, err),
                new SoakCommand(out, err),
                new ReportCommand(out, err),
                new CompareCommand(out, err),
                new FuzzCommand(out, err),
                new ValidateCommand(out, err))) {
            cl.addSubcommand(sub);
        }
        cl.getSubcommands()
                .values()
                .forEach(sub -> sub.getCommandSpec().version(cl.getCommandSpec().version()));
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Commands report the failures they expect themselves; what gets here is a bug in loopbench,
            // so the trace goes with it (a bare "NullPointerException" tells nobody where to look).
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": internal error: " + e);
            e.printStackTrace(cmd.getErr());
            return FAILED;
        });
        return cl;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "no command given; the commands are " + commands(spec));
    }

    /** The one error style: {@code loopbench CMD: problem}, a hint, exit 2. */
    static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        String problem;
        if (e instanceof UnmatchedArgumentException u
                && cmd.getCommandSpec().parent() == null
                && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            problem = "unknown command '" + u.getUnmatched().get(0) + "'; the commands are "
                    + commands(cmd.getCommandSpec());
        } else {
            String first = e.getMessage() == null
                    ? "bad usage"
                    : e.getMessage().lines().findFirst().orElse("bad usage");
            problem = first.isEmpty() ? first : first.substring(0, 1).toLowerCase(Locale.ROOT) + first.substring(1);
        }
        cmd.getErr().println(name + ": " + problem);
        cmd.getErr().println("try '" + name + " --help'");
        return USAGE;
    }

    private static String commands(CommandSpec root) {
        return String.join(", ", root.subcommands().keySet());
    }
}
