package loopbench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import loopbench.core.io.AtomicFile;
import loopbench.report.BadInputException;
import loopbench.report.JmhJson;
import loopbench.report.JmhResult;
import loopbench.report.NodeBaseline;

/**
 * {@code loopbench compare BASELINE CURRENT [--threshold PCT] [--markdown FILE] [--github-json FILE]}:
 * the CI regression check. Each argument is a JMH JSON file or a run directory (then its
 * results.json and micro.json). Exit 0: no regression; 1: at least one; 2: bad usage or an
 * input that cannot be read, with a message naming the file and the problem.
 */
public final class CompareCommand {
  static final String USAGE = "usage: loopbench compare BASELINE CURRENT [--threshold PCT] [--markdown FILE] [--github-json FILE]\n"
      + "  BASELINE, CURRENT: a JMH JSON file or a run directory (its results.json and micro.json)\n"
      + "  --threshold PCT    smallest change that counts, in percent (default 10)\n"
      + "  --markdown FILE    also write a Markdown summary (for a pull-request comment)\n"
      + "  --github-json FILE also write github-action-benchmark JSON: FILE holds smaller-is-better metrics\n"
      + "                     (tool customSmallerIsBetter), <FILE stem>.bigger.json the bigger-is-better ones";

  private CompareCommand() {}

  /** args are the words after "compare". */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> files = new ArrayList<>();
    double threshold = 10;
    Path markdown = null;
    Path githubJson = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        out.println(USAGE);
        return 0;
      }
      if (a.startsWith("--")) {
        String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : (i + 1 < args.length ? args[++i] : null);
        if (value == null || value.isBlank()) {
          return usage(err, name + " needs a value");
        }
        switch (name) {
          case "--threshold" -> {
            try {
              threshold = Double.parseDouble(value.endsWith("%") ? value.substring(0, value.length() - 1) : value);
            } catch (NumberFormatException e) {
              threshold = Double.NaN;
            }
            if (!(threshold >= 0) || Double.isInfinite(threshold)) {
              return usage(err, "--threshold must be a percentage >= 0, got " + value);
            }
          }
          case "--markdown" -> markdown = Path.of(value);
          case "--github-json" -> githubJson = Path.of(value);
          default -> {
            return usage(err, "unknown option " + name);
          }
        }
      } else {
        files.add(a);
      }
    }
    if (files.size() != 2) {
      return usage(err, files.size() < 2 ? "need BASELINE and CURRENT" : "too many arguments: " + files);
    }
    List<JmhResult> baseline;
    List<JmhResult> current;
    try {
      baseline = load(Path.of(files.get(0)));
      current = load(Path.of(files.get(1)));
    } catch (BadInputException e) {
      err.println("loopbench compare: " + e.getMessage());
      return 2;
    }
    RegressionCheck.Outcome outcome = RegressionCheck.compare(baseline, current, threshold);
    out.print(CompareReport.text(outcome, files.get(0), files.get(1)));
    try {
      if (markdown != null) {
        AtomicFile.write(markdown, CompareReport.markdown(outcome, files.get(0), files.get(1)));
        out.println("Markdown summary: " + markdown);
      }
      if (githubJson != null) {
        Map<RegressionCheck.Key, RegressionCheck.Row> byKey = new LinkedHashMap<>();
        outcome.rows().forEach(r -> byKey.put(r.key(), r));
        Path bigger = GithubBenchmarkJson.write(githubJson, RegressionCheck.metrics(current), byKey);
        out.println("github-action-benchmark JSON: " + githubJson + " (customSmallerIsBetter), " + bigger + " (customBiggerIsBetter)");
      }
    } catch (IOException e) {
      err.println("loopbench compare: cannot write output: " + e);
      return 2;
    }
    if (outcome.hasRegression()) {
      out.println("REGRESSION: " + outcome.count(Verdict.REGRESSION) + " metric(s) got worse beyond the threshold and the error bars.");
      return 1;
    }
    out.println("OK: no regression.");
    return 0;
  }

  /** A JMH JSON file, or a run directory's results.json plus micro.json; Node's records are a reference, left out. */
  static List<JmhResult> load(Path path) throws BadInputException {
    if (!Files.isDirectory(path)) {
      return JmhJson.read(path).stream().filter(r -> !NodeBaseline.isNodeRecord(r)).toList();
    }
    List<JmhResult> all = new ArrayList<>();
    boolean any = false;
    for (String name : List.of("results.json", "micro.json")) {
      Path f = path.resolve(name);
      if (Files.exists(f)) {
        JmhJson.read(f).stream().filter(r -> !NodeBaseline.isNodeRecord(r)).forEach(all::add);
        any = true;
      }
    }
    if (!any) {
      throw new BadInputException(path, "run directory has neither results.json nor micro.json");
    }
    return all;
  }

  private static int usage(PrintStream err, String problem) {
    err.println("loopbench compare: " + problem + "\n" + USAGE);
    return 2;
  }
}
