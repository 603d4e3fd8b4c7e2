package loopbench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code loopbench report RUN_DIR [--out DIR]}: writes report.md, report.html and the charts for
 * one run directory (default output: RUN_DIR/report). Returns an exit code and never exits.
 */
public final class ReportCommand {
  static final String USAGE = "usage: loopbench report RUN_DIR [--out DIR]   (default DIR: RUN_DIR/report)";

  private ReportCommand() {}

  /** args are the words after "report". 0: report written; 2: bad usage or unusable RUN_DIR. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path runDir = null;
    Path outDir = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        out.println(USAGE);
        return 0;
      } else if (a.equals("--out") || a.startsWith("--out=")) {
        String v = a.startsWith("--out=") ? a.substring(6) : (++i < args.length ? args[i] : null);
        if (v == null || v.isBlank()) {
          err.println("report: --out needs a directory\n" + USAGE);
          return 2;
        }
        outDir = Path.of(v);
      } else if (a.startsWith("-")) {
        err.println("report: unknown option " + a + "\n" + USAGE);
        return 2;
      } else if (runDir == null) {
        runDir = Path.of(a);
      } else {
        err.println("report: unexpected argument " + a + "\n" + USAGE);
        return 2;
      }
    }
    if (runDir == null) {
      err.println("report: missing RUN_DIR\n" + USAGE);
      return 2;
    }
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen; no display needed
    }
    try {
      ResultsDir dir = ResultsDir.read(runDir);
      ReportGenerator.Output result = ReportGenerator.generate(dir, outDir != null ? outDir : runDir.resolve("report"));
      if (dir.partial()) {
        out.println("Partial run: the report lists what is missing.");
      }
      for (String p : result.report().problems()) {
        err.println("report: " + p);
      }
      out.println("Wrote " + result.charts().size() + " charts (PNG and SVG) and " + result.markdown().toAbsolutePath());
      out.println("Report: " + result.html().toAbsolutePath());
      return 0;
    } catch (BadInputException e) {
      err.println("report: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("report: cannot write the report: " + e);
      return 2;
    }
  }
}
