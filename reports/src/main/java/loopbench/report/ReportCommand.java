package loopbench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loopbench report RUN_DIR... [--label NAME=DIR]... [--out DIR]}: writes report.md, report.html
 * and the charts for one run directory (default output: RUN_DIR/report), or for several side by side
 * ({@link RunsReport}; default output: runs-report in the current directory). Returns an exit code and never exits:
 * 0 report written; 2 bad usage or a run directory that cannot be read; 1 the report cannot be written.
 */
@Command(
        name = "report",
        header = "Charts, report.md and report.html from a run directory.",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Charts (PNG and SVG), report.md and a self-contained report.html from a run directory,",
            "or from several, side by side (JDK 21 against 25, G1 against ZGC, one commit against another)."
        })
public final class ReportCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "RUN_DIR",
            arity = "1..*",
            description = "the run directory (written by loopbench bench), or several to set side by side")
    List<Path> runDirs;

    @Option(
            names = "--label",
            paramLabel = "NAME=DIR",
            description =
                    "the name of one of several runs in tables and charts (default: what differs in its run.json)")
    Map<String, Path> labels = new LinkedHashMap<>();

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "where the report goes (default: RUN_DIR/report; for several runs, ./runs-report)")
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
        c.runDirs = List.of(runDir);
        c.outDir = outDir;
        return c.call();
    }

    @Override
    public Integer call() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen; no display needed
        }
        if (runDirs.size() > 1 || !labels.isEmpty()) {
            return several();
        }
        Path runDir = runDirs.get(0);
        try {
            ResultsDir dir = ResultsDir.read(runDir);
            ReportGenerator.Output result =
                    ReportGenerator.generate(dir, outDir != null ? outDir : runDir.resolve("report"));
            if (dir.partial()) {
                out.println("Partial run: the report lists what is missing.");
            }
            return written(result);
        } catch (BadInputException e) {
            err.println("loopbench report: " + e.getMessage());
            return 2; // an input that cannot be used is bad usage, as in compare (where 1 means a regression)
        } catch (IOException e) {
            err.println("loopbench report: cannot write the report: " + e);
            return 1;
        }
    }

    /** The problems on stderr, what was written on stdout, the last line the report's path; 0. */
    private int written(ReportGenerator.Output result) {
        for (String p : result.report().problems()) err.println("loopbench report: " + p);
        out.println("Wrote " + result.charts().size() + " charts (PNG and SVG) and "
                + result.markdown().toAbsolutePath());
        out.println("Report: " + result.html().toAbsolutePath());
        return 0;
    }

    private int several() {
        try {
            List<ResultsDir> dirs = new ArrayList<>();
            for (Path p : runDirs) dirs.add(ResultsDir.read(p));
            Map<Path, String> given = new LinkedHashMap<>();
            for (var e : labels.entrySet()) {
                Path p = e.getValue().toAbsolutePath().normalize();
                if (runDirs.stream()
                        .noneMatch(d -> d.toAbsolutePath().normalize().equals(p))) {
                    err.println("loopbench report: --label " + e.getKey() + "=" + e.getValue()
                            + ": not one of the run directories given");
                    return 2;
                }
                given.put(p, e.getKey());
            }
            ReportGenerator.Output result =
                    RunsReport.write(RunsReport.label(dirs, given), outDir != null ? outDir : Path.of("runs-report"));
            return written(result);
        } catch (BadInputException e) {
            err.println("loopbench report: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("loopbench report: cannot write the report: " + e);
            return 1;
        }
    }
}
