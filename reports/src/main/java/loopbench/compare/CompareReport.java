package loopbench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import loopbench.compare.RegressionCheck.Key;
import loopbench.compare.RegressionCheck.Outcome;
import loopbench.compare.RegressionCheck.Row;
import loopbench.report.Metric;
import loopbench.report.NumberText;

/**
 * The comparison as people read it: an aligned plain-text table for the terminal and a
 * Markdown summary for a pull-request comment (regressions and improvements up front, every
 * row folded away below).
 */
public final class CompareReport {
    private static final List<String> HEADER =
            List.of("benchmark", "params", "metric", "better", "baseline", "current", "change", "verdict", "note");

    private CompareReport() {}

    public static String text(Outcome o, String baseName, String curName) {
        return text(o, baseName, curName, null, null);
    }

    /** {@code baseEnv}/{@code curEnv}: each side's {@link Environments}, or null when not known. */
    public static String text(
            Outcome o, String baseName, String curName, Map<String, String> baseEnv, Map<String, String> curEnv) {
        StringBuilder s = new StringBuilder();
        s.append("baseline: ")
                .append(baseName)
                .append('\n')
                .append("current:  ")
                .append(curName)
                .append("\n\n");
        if (baseEnv != null) {
            s.append(aligned(Environments.rows(baseEnv, curEnv), Set.of()));
            warning(baseEnv, curEnv).ifPresent(w -> s.append(w).append('\n'));
            s.append('\n');
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        o.rows().forEach(r -> rows.add(cells(r)));
        s.append(aligned(rows, Set.of(4, 5, 6)));
        appendOnly(s, "Only in baseline", o.onlyInBaseline(), "");
        appendOnly(s, "Only in current", o.onlyInCurrent(), "");
        s.append('\n').append(summaryLine(o)).append('\n');
        machineDrift(o).ifPresent(d -> s.append(d).append('\n'));
        return s.toString();
    }

    /**
     * "note: ..." when the controls moved: the micro benchmarks without a runtime parameter
     * (ArrayDequeFloor, ClockCost) run none of Loopbench's code, so a change beyond the threshold in
     * their time is the machine's, not the code's, and changes of that size elsewhere may be too.
     * The check cannot correct for it (only runs interleaved on one machine can); it says so.
     */
    static Optional<String> machineDrift(Outcome o) {
        List<Double> moved = o.rows().stream()
                .filter(r -> isControl(r.key()) && Double.isFinite(r.changePct()))
                .map(Row::changePct)
                .filter(pct -> Math.abs(pct) > o.thresholdPct())
                .sorted()
                .toList();
        if (moved.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                Locale.ROOT,
                "note: %d control(s) without a runtime (plain Java, none of Loopbench's code) moved %s to %s: "
                        + "something besides the code differed between the runs (the machine's load, the JIT's code "
                        + "layout, the JDK), so changes of that size elsewhere are not evidence about the code alone",
                moved.size(),
                change(moved.get(0)),
                change(moved.get(moved.size() - 1))));
    }

    private static boolean isControl(Key k) {
        return RegressionCheck.PRIMARY.equals(k.metric())
                && !k.benchmark().startsWith("loopbench.bench.load.")
                && !k.params().contains("runtime=");
    }

    /** "warning: ..." when the sides ran on different JDKs, collectors, machines or JVM arguments. */
    static Optional<String> warning(Map<String, String> baseEnv, Map<String, String> curEnv) {
        List<String> diff = Environments.differences(baseEnv, curEnv);
        return diff.isEmpty()
                ? Optional.empty()
                : Optional.of("warning: the runs differ in " + String.join(", ", diff)
                        + ", not only in the code: a change may come from the environment");
    }

    /** Columns padded to their widest cell; those in {@code right} right-aligned. */
    private static String aligned(List<List<String>> rows, Set<Integer> right) {
        int[] width = new int[rows.get(0).size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                String cell = r.get(i);
                String pad = " ".repeat(width[i] - cell.length());
                line.append(right.contains(i) ? pad + cell : cell + pad).append(i < r.size() - 1 ? "  " : "");
            }
            s.append(line.toString().stripTrailing()).append('\n');
        }
        return s.toString();
    }

    public static String markdown(Outcome o, String baseName, String curName) {
        return markdown(o, baseName, curName, null, null);
    }

    public static String markdown(
            Outcome o, String baseName, String curName, Map<String, String> baseEnv, Map<String, String> curEnv) {
        StringBuilder s = new StringBuilder("## Loopbench benchmark comparison\n\n");
        long reg = o.count(Verdict.REGRESSION);
        s.append(
                        reg > 0
                                ? "**:x: " + reg + (reg == 1 ? " regression" : " regressions") + "**"
                                : "**:white_check_mark: No regressions**")
                .append(" — ")
                .append(summaryLine(o))
                .append("\n\n");
        machineDrift(o).ifPresent(d -> s.append("> ").append(d).append("\n\n"));
        s.append("Baseline `")
                .append(baseName)
                .append("`, current `")
                .append(curName)
                .append("`. A change is flagged when it is beyond ")
                .append(pct(o.thresholdPct()))
                .append(
                        " and significant: a rank test on the repeated samples (JMH iterations, a load point's one-second")
                .append(" intervals) at p < ")
                .append(NumberText.plain(o.alpha()))
                .append(", else JMH's 99.9% confidence intervals apart.\n\n");
        if (baseEnv != null) {
            warning(baseEnv, curEnv).ifPresent(w -> s.append("> **").append(w).append("**\n\n"));
            List<List<String>> env = Environments.rows(baseEnv, curEnv);
            s.append("| ").append(String.join(" | ", env.get(0))).append(" |\n| --- | --- | --- | --- |\n");
            env.subList(1, env.size())
                    .forEach(r -> s.append("| ")
                            .append(String.join(
                                    " | ",
                                    r.stream().map(c -> c.replace("|", "\\|")).toList()))
                            .append(" |\n"));
            s.append('\n');
        }
        section(s, "Regressions", o, r -> r.verdict() == Verdict.REGRESSION);
        section(s, "Improvements", o, r -> r.verdict() == Verdict.IMPROVEMENT);
        s.append("<details><summary>All ").append(o.rows().size()).append(" compared metrics</summary>\n\n");
        table(s, o.rows());
        s.append("</details>\n\n");
        if (!o.onlyInBaseline().isEmpty() || !o.onlyInCurrent().isEmpty()) {
            s.append("### Present in one file only\n\n");
            appendOnly(s, "Only in baseline", o.onlyInBaseline(), "- ");
            appendOnly(s, "Only in current", o.onlyInCurrent(), "- ");
        }
        return s.toString();
    }

    static String summaryLine(Outcome o) {
        long benchmarks = o.rows().stream()
                .map(r -> r.key().benchmark() + r.key().params() + r.key().mode())
                .distinct()
                .count();
        return String.format(
                Locale.ROOT,
                "compared %d metrics of %d benchmarks (threshold %s, alpha %s): %d regression(s), %d improvement(s), "
                        + "%d explained by queueing, %d within noise, %d without an error estimate, %d unchanged, %d not judged; "
                        + "%d only in baseline, %d only in current",
                o.rows().size(),
                benchmarks,
                pct(o.thresholdPct()),
                NumberText.plain(o.alpha()),
                o.count(Verdict.REGRESSION),
                o.count(Verdict.IMPROVEMENT),
                o.count(Verdict.QUEUEING),
                o.count(Verdict.WITHIN_NOISE),
                o.count(Verdict.NO_ERROR_ESTIMATE),
                o.count(Verdict.UNCHANGED),
                o.count(Verdict.NOT_JUDGED),
                o.onlyInBaseline().size(),
                o.onlyInCurrent().size());
    }

    private static void section(StringBuilder s, String title, Outcome o, Predicate<Row> which) {
        List<Row> rows = o.rows().stream().filter(which).toList();
        if (!rows.isEmpty()) {
            s.append("### ").append(title).append("\n\n");
            table(s, rows);
        }
    }

    private static void table(StringBuilder s, List<Row> rows) {
        s.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
        s.append("| --- | --- | --- | --- | ---: | ---: | ---: | --- | --- |\n");
        for (Row r : rows) {
            s.append("| ")
                    .append(String.join(
                            " | ",
                            cells(r).stream().map(c -> c.replace("|", "\\|")).toList()))
                    .append(" |\n");
        }
        s.append('\n');
    }

    private static void appendOnly(StringBuilder s, String title, List<Key> keys, String bullet) {
        if (keys.isEmpty()) {
            return;
        }
        s.append('\n').append(title).append(" (not compared):\n");
        keys.forEach(k -> s.append(bullet.isEmpty() ? "  " : bullet).append(k).append('\n'));
    }

    static List<String> cells(Row r) {
        return List.of(
                r.key().shortBenchmark(),
                r.key().params(),
                r.key().metric()
                        + (r.key().mode().isEmpty() || !r.key().metric().equals(RegressionCheck.PRIMARY)
                                ? ""
                                : " (" + r.key().mode() + ")"),
                r.direction().better(),
                value(r.baseline()),
                value(r.current()),
                change(r.changePct()),
                r.verdict().toString(),
                r.note());
    }

    static String value(Metric m) {
        return NumberText.sig(m.score()) + (m.hasConfidence() ? " ± " + NumberText.sig(m.error()) : "") + " "
                + m.unit();
    }

    static String change(double pct) {
        if (Double.isNaN(pct)) {
            return "–";
        }
        if (Double.isInfinite(pct)) {
            return pct > 0 ? "+inf%" : "-inf%";
        }
        return String.format(Locale.ROOT, "%+.1f%%", pct);
    }

    static String pct(double v) {
        return new java.math.BigDecimal(v)
                        .round(new java.math.MathContext(3))
                        .stripTrailingZeros()
                        .toPlainString() + "%";
    }
}
