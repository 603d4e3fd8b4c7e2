package loopbench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loopbench report RUN_DIR [--out DIR]}: writes report.md, report.html and the charts for
 * one run directory (default output: RUN_DIR/report). Returns an exit code and never exits:
 * 0 report written; 2 bad usage or a run directory that cannot be read; 1 the report cannot be written.
 */
@Command(
        name = "report",
        header = "Charts, report.md and report.html from a run directory.",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "Charts (PNG and SVG), report.md and a self-contained report.html from a run directory.")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", description = "the run directory (written by loopbench bench)")
    Path runDir;

    @Option(names = "--out", paramLabel = "DIR", description = "where the report goes (default: RUN_DIR/report)")
    Path outDir;

    private final PrintStream out;
    private final PrintStream err;

    public ReportCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The report of runDir into outDir (null: RUN_DIR/report). */
    public static int write(Path runDir, Path outDir, PrintStream out, PrintStream err) {
        ReportCommand c = new ReportCommand(out, err);
        c.runDir = runDir;
        c.outDir = outDir;
        return c.call();
    }

    @Override
    public Integer call() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen; no display needed
        }
        try {
            ResultsDir dir = ResultsDir.read(runDir);
            ReportGenerator.Output result =
                    ReportGenerator.generate(dir, outDir != null ? outDir : runDir.resolve("report"));
            if (dir.partial()) {
                out.println("Partial run: the report lists what is missing.");
            }
            for (String p : result.report().problems()) {
                err.println("loopbench report: " + p);
            }
            out.println("Wrote " + result.charts().size() + " charts (PNG and SVG) and "
                    + result.markdown().toAbsolutePath());
            out.println("Report: " + result.html().toAbsolutePath());
            return 0;
        } catch (BadInputException e) {
            err.println("loopbench report: " + e.getMessage());
            return 2; // an input that cannot be used is bad usage, as in compare (where 1 means a regression)
        } catch (IOException e) {
            err.println("loopbench report: cannot write the report: " + e);
            return 1;
        }
    }
}
