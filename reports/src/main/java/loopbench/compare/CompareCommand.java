package loopbench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import loopbench.core.io.AtomicFile;
import loopbench.report.BadInputException;
import loopbench.report.JmhJson;
import loopbench.report.JmhResult;
import loopbench.report.NodeBaseline;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code loopbench compare BASELINE CURRENT [--threshold PCT] [--alpha P] [--markdown FILE] [--github-json FILE]}:
 * the CI regression check. Each argument is a JMH JSON file or a run directory (then its
 * results.json and micro.json, and its histogram logs for the load points' per-interval samples),
 * or a comma list of them: repeated runs of one side (A,B,A,B in CI), pooled. Exit 0: no
 * regression; 1: at least one; 2: bad usage or an input that cannot be read, with a message naming
 * the file and the problem.
 */
@Command(
        name = "compare",
        header = "Fail if CURRENT regressed against BASELINE (the CI check).",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "The CI regression check: fail if CURRENT regressed against BASELINE.",
            "Exit status: 0 no regression, 1 at least one, 2 bad usage or an input that cannot be read."
        })
public final class CompareCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            arity = "1",
            paramLabel = "BASELINE",
            split = ",",
            description = "a JMH JSON file or a run directory (its results.json and micro.json), "
                    + "or a comma list of them: repeated runs, pooled")
    List<String> baselineFiles;

    @Parameters(
            index = "1",
            arity = "1",
            paramLabel = "CURRENT",
            split = ",",
            description = "the same, for the runs to judge")
    List<String> currentFiles;

    @Option(
            names = "--threshold",
            paramLabel = "PCT",
            converter = Percent.class,
            description = "smallest change that counts, in percent (default 10; a trailing %% is allowed)")
    double threshold = 10;

    @Option(
            names = "--alpha",
            paramLabel = "P",
            converter = Alpha.class,
            description = "significance level of the rank test on repeated samples, in (0, 0.5] (default 0.01)")
    double alpha = RegressionCheck.ALPHA;

    @Option(
            names = "--markdown",
            paramLabel = "FILE",
            description = "also write a Markdown summary (for a pull-request comment)")
    Path markdown;

    @Option(
            names = "--github-json",
            paramLabel = "FILE",
            description =
                    "also write github-action-benchmark JSON: FILE holds "
                            + "smaller-is-better metrics (tool customSmallerIsBetter), <FILE stem>.bigger.json the bigger-is-better ones")
    Path githubJson;

    private final PrintStream out;
    private final PrintStream err;

    public CompareCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** {@code --threshold}: a percentage >= 0, with or without a trailing %. */
    static final class Percent implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double t;
            try {
                t = Double.parseDouble(value.endsWith("%") ? value.substring(0, value.length() - 1) : value);
            } catch (NumberFormatException e) {
                t = Double.NaN;
            }
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new TypeConversionException("must be a percentage >= 0, got '" + value + "'");
            }
            return t;
        }
    }

    /** {@code --alpha}: a probability in (0, 0.5]. */
    static final class Alpha implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double a;
            try {
                a = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                a = Double.NaN;
            }
            if (!(a > 0 && a <= 0.5)) {
                throw new TypeConversionException("must be a probability in (0, 0.5], got '" + value + "'");
            }
            return a;
        }
    }

    @Override
    public Integer call() {
        Map<RegressionCheck.Key, loopbench.report.Metric> baseline;
        Map<RegressionCheck.Key, loopbench.report.Metric> current;
        try {
            baseline = side(baselineFiles);
            current = side(currentFiles);
        } catch (BadInputException e) {
            err.println("loopbench compare: " + e.getMessage());
            return 2;
        }
        String baseName = String.join(",", baselineFiles);
        String curName = String.join(",", currentFiles);
        var baseEnv = Environments.side(baselineFiles.stream().map(Path::of).toList());
        var curEnv = Environments.side(currentFiles.stream().map(Path::of).toList());
        boolean replicated = baselineFiles.size() > 1 && currentFiles.size() > 1;
        RegressionCheck.Outcome outcome = RegressionCheck.compare(baseline, current, threshold, alpha, replicated);
        out.print(CompareReport.text(outcome, baseName, curName, baseEnv, curEnv));
        try {
            if (markdown != null) {
                AtomicFile.write(markdown, CompareReport.markdown(outcome, baseName, curName, baseEnv, curEnv));
                out.println("Markdown summary: " + markdown);
            }
            if (githubJson != null) {
                Map<RegressionCheck.Key, RegressionCheck.Row> byKey = new LinkedHashMap<>();
                outcome.rows().forEach(r -> byKey.put(r.key(), r));
                Path bigger = GithubBenchmarkJson.write(githubJson, current, byKey);
                out.println("github-action-benchmark JSON: " + githubJson + " (customSmallerIsBetter), " + bigger
                        + " (customBiggerIsBetter)");
            }
        } catch (IOException e) {
            err.println("loopbench compare: cannot write output: " + e);
            return 2;
        }
        if (outcome.hasRegression()) {
            out.println("REGRESSION: " + outcome.count(Verdict.REGRESSION)
                    + " metric(s) got worse beyond the threshold and the error bars.");
            return 1;
        }
        out.println("OK: no regression.");
        return 0;
    }

    /** One side: each run's judged results, pooled. */
    private Map<RegressionCheck.Key, loopbench.report.Metric> side(List<String> files) throws BadInputException {
        List<List<JmhResult>> runs = new ArrayList<>();
        for (String f : files) runs.add(judged(load(Path.of(f)), f));
        return RegressionCheck.pool(runs);
    }

    /** The results that can be judged: a point the harness marked invalid (too few requests) is left out, and said so. */
    private List<JmhResult> judged(List<JmhResult> results, String file) {
        for (JmhResult r : results) {
            if (r.invalidReason() != null) {
                out.println("left out of " + file + ": " + r.paramsText() + " is invalid (" + r.invalidReason() + ")");
            }
        }
        return results.stream().filter(r -> r.invalidReason() == null).toList();
    }

    /**
     * A JMH JSON file, or a run directory's results.json (its load points with their per-interval
     * samples) plus micro.json; Node's records are a reference, left out.
     */
    static List<JmhResult> load(Path path) throws BadInputException {
        if (!Files.isDirectory(path)) {
            return JmhJson.read(path).stream()
                    .filter(r -> !NodeBaseline.isNodeRecord(r))
                    .toList();
        }
        List<JmhResult> all = new ArrayList<>();
        boolean any = false;
        for (String name : List.of("results.json", "micro.json")) {
            Path f = path.resolve(name);
            if (Files.exists(f)) {
                List<JmhResult> read = JmhJson.read(f).stream()
                        .filter(r -> !NodeBaseline.isNodeRecord(r))
                        .toList();
                all.addAll(IntervalSamples.attach(path, read));
                any = true;
            }
        }
        if (!any) {
            throw new BadInputException(path, "run directory has neither results.json nor micro.json");
        }
        return all;
    }
}
