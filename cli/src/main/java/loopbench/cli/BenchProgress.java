package loopbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import loopbench.bench.ladder.RateLadder;
import loopbench.bench.load.LadderEntry;
import loopbench.report.NumberText;
import loopbench.schema.ForkEvent;
import loopbench.schema.LoadMetric;
import loopbench.schema.RunFiles;

/**
 * What a bench run prints while it runs: a line per point started and finished, the time left, and
 * the summary table at the end. The time left is the plan for what is left, scaled by how the
 * finished forks compared with their plan. Called from the thread that reads the fork's stdout.
 */
final class BenchProgress {
    /** One forked JVM: one load on one runtime, every fraction or up the load's ladder. */
    record Fork(String load, String runtime) {
        String name() {
            return load + "/" + runtime;
        }
    }

    private final BenchOptions.Profile profile;
    private final List<Fork> forks;
    private final Map<String, Map<String, Double>> reuse;
    private final boolean jfr;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    /** Each load's ladder, once known (a ladder profile); until then a fork plans the profile's most rungs. */
    private final Map<String, RateLadder> ladders = new java.util.HashMap<>();
    /** Points planned; a climb that stops early takes its rungs left off. */
    int totalPoints;
    /** The rungs the climbs so far left off. */
    private int leftOff;

    int pointsStarted;
    int pointsDone;
    private double plannedDone; // planned seconds of the forks finished so far

    BenchProgress(
            BenchOptions.Profile profile,
            List<Fork> forks,
            Map<String, Map<String, Double>> reuse,
            boolean jfr,
            PrintStream out) {
        this.profile = profile;
        this.forks = forks;
        this.reuse = reuse;
        this.jfr = jfr;
        this.out = out;
        this.totalPoints = forks.stream().mapToInt(this::points).sum();
    }

    private int points(Fork f) {
        return profile.pointsPerFork(ladders.get(f.load()));
    }

    /** A load's ladder is set: its forks plan its rungs. */
    void ladder(String load, RateLadder ladder) {
        ladders.put(load, ladder);
        totalPoints = forks.stream().mapToInt(this::points).sum() - leftOff;
    }

    /**
     * A climb ended: the rungs it left off are no longer planned, and those it ran past the ladder's
     * top (a negative number left off) are added.
     */
    void climbed(ForkEvent.Climbed c) {
        leftOff += c.rungs() - c.points();
        totalPoints -= c.rungs() - c.points();
    }

    /** Seconds an estimate-only fork should take: JVM start and heap pre-touch, and the search. */
    double plannedEstimate() {
        return 1.5 + 16 * profile.estimateStep();
    }

    /** Seconds a fork should take: JVM start and heap pre-touch, capacity search, warm-up, points, flight-recording dumps. */
    double planned(Fork f) {
        boolean estimate = reuse.getOrDefault(f.load(), Map.of()).get(f.runtime()) == null;
        double perPoint = profile.seconds() + 0.6 + (jfr ? 0.8 : 0);
        return 1.5
                + (estimate ? 16 * profile.estimateStep() : 0)
                + profile.warmup()
                + (jfr ? 1.5 : 0)
                + points(f) * perPoint;
    }

    double plannedTotal() {
        return forks.stream().mapToDouble(this::planned).sum() + 4;
    }

    void started(ForkEvent.Start s) {
        pointsStarted++;
        String[] stem = s.stem().split("_");
        out.printf(
                Locale.ROOT,
                "[%2d/%d] %-12s %-10s %-6s %,10.0f req/s offered, %s s ...%n",
                pointsStarted,
                Math.max(totalPoints, pointsStarted), // a climb past the top runs points not yet planned
                stem[0],
                stem.length > 1 ? stem[1] : "?",
                s.fraction() != null ? "x" + s.fraction() : "",
                s.rate(),
                NumberText.plain(
                        profile.ladder() ? LadderEntry.seconds(s.rate(), profile.seconds()) : profile.seconds()));
    }

    void done(Fork f, ForkEvent.Done d, long forkStart) {
        pointsDone++;
        out.printf(Locale.ROOT, "        done in %.2f s; %s%n", d.seconds(), eta(f, forkStart));
    }

    /** A fork ended: the numbering stays k of n even when points were lost. */
    void forkEnded(Fork f, int index) {
        plannedDone += planned(f);
        pointsStarted = pointsDone;
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private String eta(Fork f, long forkStart) {
        double elapsed = elapsedSeconds();
        double thisFork = (System.nanoTime() - forkStart) / 1e9;
        int idx = forks.indexOf(f);
        double left = Math.max(0, planned(f) - thisFork);
        for (int i = idx + 1; i < forks.size(); i++) {
            left += planned(forks.get(i));
        }
        double scale = plannedDone > 0 ? Math.max(0.5, Math.min(3, (elapsed - thisFork) / plannedDone)) : 1;
        return "about " + NumberText.duration(left * scale + 4) + " left";
    }

    /** The table of every point in results.json. */
    void printSummary(Path dir) {
        JsonNode results;
        try {
            results = RunFiles.JSON.readTree(dir.resolve("results.json").toFile());
        } catch (IOException e) {
            return;
        }
        if (!results.isArray() || results.isEmpty()) {
            return;
        }
        out.println(
                "load         runtime     frac       rate/s   achieved/s        p50        p99      p99.9   lag p99  late  errors");
        List<String> climbs = new java.util.ArrayList<>();
        int invalid = 0;
        for (JsonNode n : results) {
            JsonNode params = n.path("params");
            JsonNode s = n.path("secondaryMetrics");
            if (LoadMetric.CAPACITY_BENCHMARK.equals(n.path("benchmark").asText())) {
                climbs.add(String.format(
                        Locale.ROOT,
                        "%-12s %-10s capacity within p99 %s ms: %s req/s; stopped: %s%s; closed-loop estimate %s req/s",
                        params.path("load").asText(),
                        params.path("runtime").asText(),
                        params.path(LoadMetric.SLO_PARAM).asText(),
                        rate(n.path("primaryMetric")),
                        params.path(LoadMetric.STOP_PARAM).asText(),
                        s.path(LoadMetric.SATURATION).path("score").isNumber()
                                ? " at " + rate(s.path(LoadMetric.SATURATION)) + " req/s"
                                : "",
                        rate(s.path(LoadMetric.ESTIMATE))));
                continue;
            }
            out.printf(
                    Locale.ROOT,
                    "%-12s %-10s %5s %12s %12s %10s %10s %10s %9s %5s %7s%n",
                    params.path("load").asText(),
                    params.path("runtime").asText(),
                    params.path("loadFraction").asText("-"),
                    String.format(Locale.ROOT, "%,.0f", params.path("rate").asDouble()),
                    String.format(
                            Locale.ROOT,
                            "%,.0f",
                            n.path("primaryMetric").path("score").asDouble()),
                    micros(s, "latency.p50"),
                    micros(s, "latency.p99"),
                    micros(s, "latency.p99.9"),
                    micros(s, "lag.p99"),
                    count(s, "lateStarts"),
                    count(s, "errors"));
            if (!n.path("valid").asBoolean(true)) {
                invalid++;
                out.println("    INVALID: " + n.path("invalidReason").asText());
            }
        }
        climbs.forEach(out::println);
        if (invalid > 0) {
            out.println(
                    invalid + " point(s) hold too few requests for their percentiles: the report and compare say so");
        }
    }

    private static String rate(JsonNode metric) {
        JsonNode v = metric.path("score");
        return v.isNumber() ? String.format(Locale.ROOT, "%,.0f", v.asDouble()) : "none";
    }

    private static String micros(JsonNode s, String metric) {
        JsonNode v = s.path(metric).path("score");
        if (!v.isNumber()) {
            return "-";
        }
        double us = v.asDouble();
        return us >= 10_000
                ? String.format(Locale.ROOT, "%,.0f ms", us / 1000)
                : us >= 1000
                        ? String.format(Locale.ROOT, "%.1f ms", us / 1000)
                        : String.format(Locale.ROOT, "%.0f us", us);
    }

    private static String count(JsonNode s, String metric) {
        JsonNode v = s.path(metric).path("score");
        return v.isNumber() ? String.format(Locale.ROOT, "%,d", v.asLong()) : "-";
    }
}
