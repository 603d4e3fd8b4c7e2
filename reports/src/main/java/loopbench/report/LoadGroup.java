package loopbench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The load-test points of one load, per runtime, plus the choice of the one offered load shown
 * where the runtimes are drawn side by side: the highest load fraction that every runtime ran
 * and that is at most 1.0 (estimated capacity), so no runtime is shown past saturation while
 * another is not. When the runtimes share no such fraction each gets its own highest, and the
 * chart titles and legends say which rate each one is at.
 */
public final class LoadGroup {
    private final String load;
    private final Map<String, List<LoadPoint>> byRuntime;
    private final boolean byFraction;
    private final Map<String, LoadPoint> chosen = new LinkedHashMap<>();
    private String choice;

    private LoadGroup(String load, Map<String, List<LoadPoint>> byRuntime) {
        this.load = load;
        this.byRuntime = byRuntime;
        this.byFraction =
                byRuntime.values().stream().flatMap(List::stream).allMatch(p -> Double.isFinite(p.loadFraction()));
        choose();
    }

    /** Groups points by load, in the standard load order and then by name; runtimes likewise. */
    public static List<LoadGroup> of(List<LoadPoint> points) {
        Map<String, Map<String, List<LoadPoint>>> grouped = new LinkedHashMap<>();
        points.stream()
                .sorted(Comparator.comparing((LoadPoint p) -> order(ResultsDir.LOADS, p.load()))
                        .thenComparing(p -> order(ResultsDir.RUNTIMES, p.runtime()))
                        .thenComparingDouble(LoadPoint::loadFraction)
                        .thenComparingDouble(LoadPoint::rateValue))
                .forEach(p -> grouped.computeIfAbsent(p.load(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(p.runtime(), k -> new ArrayList<>())
                        .add(p));
        return grouped.entrySet().stream()
                .map(e -> new LoadGroup(e.getKey(), e.getValue()))
                .toList();
    }

    static String order(List<String> known, String name) {
        int i = known.indexOf(name);
        return (i < 0 ? "9" : String.valueOf(i)) + name;
    }

    private void choose() {
        Set<Double> common = null;
        for (List<LoadPoint> pts : byRuntime.values()) {
            Set<Double> mine = pts.stream()
                    .map(this::level)
                    .filter(v -> !byFraction || v <= 1.0)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (common == null) {
                common = mine;
            } else {
                common.retainAll(mine);
            }
        }
        if (common != null && !common.isEmpty()) {
            double level = ((TreeSet<Double>) common).last();
            byRuntime.forEach((rt, pts) -> chosen.put(
                    rt, pts.stream().filter(p -> level(p) == level).findFirst().orElseThrow()));
            choice = byFraction
                    ? "at " + percent(level) + " of estimated capacity"
                    : "at " + NumberText.rate(level) + " req/s";
            return;
        }
        byRuntime.forEach((rt, pts) -> {
            List<LoadPoint> within = pts.stream()
                    .filter(p -> !byFraction || p.loadFraction() <= 1.0)
                    .toList();
            chosen.put(rt, within.isEmpty() ? pts.get(0) : within.get(within.size() - 1));
        });
        choice = byFraction
                ? "at each runtime's highest load up to capacity (rates in legend)"
                : "at each runtime's highest rate";
    }

    private double level(LoadPoint p) {
        return byFraction ? p.loadFraction() : p.rateValue();
    }

    static String percent(double fraction) {
        return new java.math.BigDecimal(fraction * 100)
                        .round(new java.math.MathContext(3))
                        .stripTrailingZeros()
                        .toPlainString()
                + "%";
    }

    public String load() {
        return load;
    }

    public Map<String, List<LoadPoint>> byRuntime() {
        return byRuntime;
    }

    /** True when every point has a loadFraction; otherwise offered load is shown as a rate. */
    public boolean byFraction() {
        return byFraction;
    }

    /** The point per runtime shown in side-by-side charts. */
    public Map<String, LoadPoint> chosen() {
        return chosen;
    }

    /** Words for that choice, for titles: "at 80% of estimated capacity". */
    public String choice() {
        return choice;
    }

    /** A point sustains its offered rate when at least this share of it completed: the ladder's own rule. */
    static final double SUSTAINED = loopbench.bench.ladder.SaturationRule.KEEP_UP;

    /** The highest offered rate that every runtime ran and completed at least {@link #SUSTAINED} of; NaN if none. */
    public double commonSustainedRate() {
        return highestShared(p -> p.throughput() >= SUSTAINED * p.rateValue());
    }

    /** The highest offered rate that every runtime ran; NaN if none. */
    public double highestCommonRate() {
        return highestShared(p -> true);
    }

    private double highestShared(java.util.function.Predicate<LoadPoint> keep) {
        TreeSet<Double> common = null;
        for (List<LoadPoint> pts : byRuntime.values()) {
            TreeSet<Double> mine = pts.stream()
                    .filter(p -> Double.isFinite(p.rateValue()))
                    .filter(keep)
                    .map(LoadPoint::rateValue)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (common == null) {
                common = mine;
            } else {
                common.retainAll(mine);
            }
        }
        return common == null || common.isEmpty() ? Double.NaN : common.last();
    }

    /** Each runtime's point at exactly this offered rate (runtimes that did not run it are left out). */
    public Map<String, LoadPoint> at(double rate) {
        Map<String, LoadPoint> at = new LinkedHashMap<>();
        byRuntime.forEach((rt, pts) ->
                pts.stream().filter(p -> p.rateValue() == rate).findFirst().ifPresent(p -> at.put(rt, p)));
        return at;
    }

    /** Each runtime's point at its highest offered rate. */
    public Map<String, LoadPoint> highestRate() {
        Map<String, LoadPoint> top = new LinkedHashMap<>();
        byRuntime.forEach((rt, pts) -> top.put(
                rt,
                pts.stream()
                        .max(Comparator.comparingDouble(LoadPoint::rateValue))
                        .orElseThrow()));
        return top;
    }

    /** A legend label: the runtime and the rate it ran at. */
    static String label(LoadPoint p) {
        return p.runtime() + " (" + NumberText.rate(p.rateValue()) + " req/s)";
    }
}
