package loopbench.report;

import loopbench.schema.LoadMetric;

/**
 * How one runtime's climb up a load's ladder ended: results.json's {@link LoadMetric#CAPACITY_BENCHMARK}
 * entry. Rates in requests per second; NaN where there is none (it never saturated, never met the
 * objective, or the estimate is unknown).
 *
 * @param stop why it stopped: {@code fell-behind}, {@code p99-above-slo}, both, or {@code top-of-ladder}
 */
public record ClimbOutcome(
        String load,
        String runtime,
        double sloP99Ms,
        String stop,
        double saturation,
        double sloCapacity,
        double estimate) {

    static boolean is(JmhResult r) {
        return LoadMetric.CAPACITY_BENCHMARK.equals(r.benchmark());
    }

    static ClimbOutcome of(JmhResult r) {
        return new ClimbOutcome(
                r.param("load"),
                r.param("runtime"),
                parse(r.param(LoadMetric.SLO_PARAM)),
                r.param(LoadMetric.STOP_PARAM),
                score(r, LoadMetric.SATURATION),
                r.primary().score(),
                score(r, LoadMetric.ESTIMATE));
    }

    private static double score(JmhResult r, String metric) {
        Metric m = r.secondary().get(metric);
        return m == null ? Double.NaN : m.score();
    }

    private static double parse(String s) {
        try {
            return s == null ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Words for {@link #stop}: "fell behind", "p99 above the objective", "never, up to the highest rate run". */
    String stopWords() {
        return words(stop);
    }

    /** Words for a {@code stop} code or {@link loopbench.bench.ladder.SaturationRule#why}. */
    static String words(String stop) {
        if (stop == null) return "–";
        return switch (stop) {
            case "fell-behind" -> "fell behind";
            case "p99-above-slo" -> "p99 above the objective";
            case "fell-behind+p99-above-slo" -> "fell behind, p99 above the objective";
            case "top-of-ladder" -> "never, up to the highest rate run";
            default -> stop;
        };
    }
}
