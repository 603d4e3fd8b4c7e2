package loopbench.cli;

import java.io.PrintStream;
import java.util.Arrays;

import loopbench.conformance.ScenariosCommand;

/** {@code ./loopbench SUBCOMMAND ...}: dispatches to each command; exit codes are the commands' own. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("usage: loopbench scenarios|bench|micro|soak|report|compare|fuzz ...");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "scenarios" -> ScenariosCommand.run(rest, out, err);
            case "report" -> loopbench.report.ReportCommand.run(rest, out, err);
            case "compare" -> loopbench.compare.CompareCommand.run(rest, out, err);
            case "micro" -> MicroCommand.run(rest, out, err);
            case "bench" -> BenchCommand.run(rest, out, err);
            case "soak" -> SoakCommand.run(rest, out, err);
            case "fuzz" -> loopbench.conformance.fuzz.FuzzCommand.run(rest, out, err);
            default -> {
                err.println("loopbench: unknown subcommand '" + args[0] + "'");
                yield 2;
            }
        };
    }
}
