package loopbench.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every load point as one CSV row, for people who plot elsewhere: the point's parameters, whether
 * it is valid, its achieved throughput and every secondary metric it has (the percentiles, lag,
 * counts, CPU and GC), in results.json's order. A column is named after its metric, with its unit
 * appended where the name does not already say it ({@code latency.p99_us}, {@code throughput_ops_s});
 * counts ({@code #}) carry none. A cell is empty when the point has no such metric or it is NaN.
 */
public final class PointsCsv {
    /** The parameters that identify a point, first; any other parameter follows in name order. */
    private static final List<String> KEY_PARAMS = List.of("load", "runtime", "rate", "loadFraction");

    private PointsCsv() {}

    public static String render(List<LoadPoint> points) {
        Set<String> params = new LinkedHashSet<>(KEY_PARAMS);
        Set<String> metrics = new LinkedHashSet<>();
        List<String> units = new ArrayList<>();
        for (LoadPoint p : points) {
            p.result().params().keySet().stream().sorted().forEach(params::add);
            p.result().secondary().forEach((name, m) -> {
                if (metrics.add(name)) units.add(m.unit());
            });
        }
        List<String> header = new ArrayList<>(params);
        header.add("valid");
        header.add("throughput_ops_s");
        List<String> names = new ArrayList<>(metrics);
        for (int i = 0; i < names.size(); i++) header.add(column(names.get(i), units.get(i)));
        StringBuilder s = new StringBuilder(String.join(",", header)).append('\n');
        for (LoadPoint p : points) {
            List<String> row = new ArrayList<>();
            for (String k : params) row.add(cell(p.result().param(k)));
            row.add(p.result().invalidReason() == null ? "true" : "false");
            row.add(number(p.throughput()));
            for (String name : names) {
                Metric m = p.result().secondary().get(name);
                row.add(m == null ? "" : number(m.score()));
            }
            s.append(String.join(",", row)).append('\n');
        }
        return s.toString();
    }

    static String column(String name, String unit) {
        if (unit.equals("#") || name.endsWith("." + unit)) return name;
        return name + "_" + unit.replace("/", "_");
    }

    private static String number(double v) {
        return Double.isFinite(v) ? NumberText.plain(v) : "";
    }

    private static String cell(String v) {
        if (v == null) return "";
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
