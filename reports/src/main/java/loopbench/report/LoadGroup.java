package loopbench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import loopbench.bench.ladder.PointOutcome;
import loopbench.bench.ladder.SaturationRule;
import loopbench.bench.load.Loads;

/**
 * The load-test points of one load, per runtime, how each runtime's climb ended, and the choice of
 * the one offered load shown where the runtimes are drawn side by side. On a rate ladder that is
 * the highest rate every runtime sustained ({@link #commonSustainedRate}). For a run at fractions
 * of each runtime's own estimate it is the highest fraction every runtime ran that is at most 1.0,
 * so no runtime is shown past saturation while another is not; when they share none each gets its
 * own highest, and the chart titles and legends say which rate each one is at.
 *
 * <p>Whether a point was sustained, where a runtime saturated and its capacity at the objective
 * are the ladder's own rules ({@link SaturationRule}), applied to the points as the harness measured
 * them: the report and the climb judge alike.
 */
public final class LoadGroup {
    private final String load;
    private final Map<String, List<LoadPoint>> byRuntime;
    private final Map<String, ClimbOutcome> climbs = new LinkedHashMap<>();
    private final boolean byFraction;
    private final SaturationRule rule;
    private final Map<String, LoadPoint> chosen = new LinkedHashMap<>();
    private String choice;

    private LoadGroup(String load, Map<String, List<LoadPoint>> byRuntime, List<ClimbOutcome> climbs) {
        this.load = load;
        this.byRuntime = byRuntime;
        climbs.stream().filter(c -> c.load().equals(load)).forEach(c -> this.climbs.put(c.runtime(), c));
        this.byFraction =
                byRuntime.values().stream().flatMap(List::stream).allMatch(p -> Double.isFinite(p.loadFraction()));
        double slo = this.climbs.values().stream()
                .mapToDouble(ClimbOutcome::sloP99Ms)
                .filter(v -> v > 0)
                .findFirst()
                .orElse(Loads.names().contains(load) ? Loads.named(load).sloP99Millis() : Double.NaN);
        this.rule = slo > 0 ? new SaturationRule(slo) : null;
        choose();
    }

    /** Groups points by load, in the standard load order and then by name; runtimes likewise. */
    public static List<LoadGroup> of(List<LoadPoint> points) {
        return of(points, List.of());
    }

    /** {@link #of(List)}, with how each runtime's climb ended (results.json's ladder outcomes). */
    public static List<LoadGroup> of(List<LoadPoint> points, List<ClimbOutcome> climbs) {
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
                .map(e -> new LoadGroup(e.getKey(), e.getValue(), climbs))
                .toList();
    }

    static String order(List<String> known, String name) {
        int i = known.indexOf(name);
        return (i < 0 ? "9" : String.valueOf(i)) + name;
    }

    private void choose() {
        if (!byFraction) {
            double rate = commonSustainedRate();
            if (!Double.isNaN(rate)) {
                chosen.putAll(at(rate));
                choice = "at " + NumberText.rate(rate) + " req/s, the highest rate all sustained";
                return;
            }
            byRuntime.forEach((rt, pts) -> chosen.put(
                    rt, pts.stream().filter(this::sustained).reduce((a, b) -> b).orElse(pts.get(0))));
            choice = "at each runtime's highest sustained rate (no rate was sustained by every runtime)";
            return;
        }
        Set<Double> common = null;
        for (List<LoadPoint> pts : byRuntime.values()) {
            Set<Double> mine =
                    pts.stream().map(this::level).filter(v -> v <= 1.0).collect(Collectors.toCollection(TreeSet::new));
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
            choice = "at " + percent(level) + " of estimated capacity";
            return;
        }
        byRuntime.forEach((rt, pts) -> {
            List<LoadPoint> within =
                    pts.stream().filter(p -> p.loadFraction() <= 1.0).toList();
            chosen.put(rt, within.isEmpty() ? pts.get(0) : within.get(within.size() - 1));
        });
        choice = "at each runtime's highest load up to capacity (rates in legend)";
    }

    private double level(LoadPoint p) {
        return p.loadFraction();
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

    /** The latency objective the points are judged by (the climb's, else the load's own); null when unknown. */
    public SaturationRule rule() {
        return rule;
    }

    /**
     * Sustained: {@link SaturationRule#SUSTAINED} of the requests due completed with p99 within the
     * objective (without a known objective, the share alone).
     */
    public boolean sustained(LoadPoint p) {
        PointOutcome o = p.outcome();
        return rule != null ? rule.sustained(o) : o.keptUp(SaturationRule.SUSTAINED);
    }

    /** The highest offered rate that every runtime ran and {@linkplain #sustained sustained}; NaN if none. */
    public double commonSustainedRate() {
        return highestShared(this::sustained);
    }

    /** How each runtime's climb ended, as the harness recorded it; empty for a run at fractions of capacity. */
    public Map<String, ClimbOutcome> climbs() {
        return climbs;
    }

    /**
     * Where a runtime saturated: its climb's record, else the ladder's rule applied to its points in
     * rate order; NaN when it did not.
     */
    public double saturation(String runtime) {
        ClimbOutcome c = climbs.get(runtime);
        if (c != null) {
            return c.saturation();
        }
        if (rule == null) {
            return Double.NaN;
        }
        OptionalDouble s = rule.saturation(outcomes(runtime));
        return s.isPresent() ? s.getAsDouble() : Double.NaN;
    }

    /** A runtime's point at its capacity within the objective (the highest rate it sustained), or null. */
    public LoadPoint atSloCapacity(String runtime) {
        ClimbOutcome c = climbs.get(runtime);
        double rate;
        if (c != null) {
            rate = c.sloCapacity();
        } else if (rule != null) {
            OptionalDouble s = rule.sloCapacity(outcomes(runtime));
            rate = s.isPresent() ? s.getAsDouble() : Double.NaN;
        } else {
            return null;
        }
        return byRuntime.getOrDefault(runtime, List.of()).stream()
                .filter(p -> p.rateValue() == rate)
                .findFirst()
                .orElse(null);
    }

    private List<PointOutcome> outcomes(String runtime) {
        return byRuntime.getOrDefault(runtime, List.of()).stream()
                .sorted(Comparator.comparingDouble(LoadPoint::rateValue))
                .map(LoadPoint::outcome)
                .toList();
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
