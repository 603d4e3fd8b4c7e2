package loopbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The summary's one rule: latencies are set side by side only when they were taken at the same offered rate. */
class FindingsTest {
    private static final Pattern LATENCY = Pattern.compile("[\\d.,]+ ms");
    /** Any other figure in a sentence (not a latency in ms, not a ratio like 1.50x) is an offered rate or a throughput. */
    private static final Pattern RATE_OR_THROUGHPUT =
            Pattern.compile("(?<![\\w.,])(\\d{1,3}(?:,\\d{3})*(?:\\.\\d+)?)(?![\\d.]|,\\d| ms|x)");

    static LoadPoint point(
            String load, String runtime, double rate, double fraction, double achieved, double p99Micros) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("load", load);
        params.put("runtime", runtime);
        params.put("rate", Long.toString(Math.round(rate)));
        params.put("loadFraction", Double.isNaN(fraction) ? null : Double.toString(fraction));
        Map<String, Metric> secondary = new LinkedHashMap<>();
        secondary.put(
                "latency.p99",
                new Metric(p99Micros, Double.NaN, Double.NaN, Double.NaN, "us", new double[] {p99Micros}));
        Metric primary = new Metric(achieved, Double.NaN, Double.NaN, Double.NaN, "ops/s", new double[] {achieved});
        return LoadPoint.of(
                new JmhResult("loopbench.bench.load.LatencyUnderLoad.openLoop", "ss", params, primary, secondary));
    }

    @Test
    void runsAtSharesOfTheirOwnCapacityHaveTheirLatenciesComparedNowhere() {
        // The quick run whose headline crowned threadpool: its p99 was taken at 1/76th of loop's rate.
        List<LoadPoint> pts = List.of(
                point("io-heavy", "loop", 100_800, 0.9, 99_000, 383_000),
                point("io-heavy", "threadpool", 1_323, 0.9, 1_320, 22_400));
        List<String> lines = Findings.of(LoadGroup.of(pts), null);
        assertEquals(
                List.of(
                        "io-heavy: no offered rate was run and sustained by every runtime, so no latencies are compared "
                                + "here (each runtime ran at shares of its own estimated capacity; estimated capacity: loop 112,000, threadpool "
                                + "1,470 req/s)."),
                lines);
    }

    @Test
    void aLadderRunIsComparedAtTheHighestRateAllSustained() {
        List<LoadPoint> pts = new ArrayList<>();
        for (String rt : List.of("loop", "loom", "threadpool")) {
            pts.add(point("cpu-blocking", rt, 1_000, Double.NaN, 1_000, 4_000));
            pts.add(point("cpu-blocking", rt, 1_900, Double.NaN, 1_900, rt.equals("loom") ? 6_000 : 9_000));
        }
        pts.add(point("cpu-blocking", "loop", 2_700, Double.NaN, 2_700, 12_000));
        pts.add(point("cpu-blocking", "loom", 2_700, Double.NaN, 2_000, 900_000)); // fell behind: not sustained
        pts.add(point("cpu-blocking", "threadpool", 2_700, Double.NaN, 2_690, 15_000));
        List<String> lines = Findings.of(LoadGroup.of(pts), null);
        assertEquals(
                List.of(
                        "cpu-blocking at 1,900 req/s, which all three sustain: p99 loop 9.00 ms, loom 6.00 ms, threadpool 9.00 ms; "
                                + "loom is lowest, 1.50x below loop.",
                        "cpu-blocking, the highest offered rate sustained with p99 within 50 ms: loop 2,700, loom 1,900, "
                                + "threadpool 2,700 req/s.",
                        "cpu-blocking at 2,700 req/s, the highest rate all three were offered: completed loop 2,700, loom 2,000, "
                                + "threadpool 2,690 req/s."),
                lines);
    }

    @Test
    void capacityIsTheClimbsRecordAndARuntimeThatNeverMetTheObjectiveSaysSo() {
        List<LoadPoint> pts = List.of(
                point("io-heavy", "loop", 1_000, Double.NaN, 1_000, 20_000),
                point("io-heavy", "loop", 1_900, Double.NaN, 1_900, 22_000),
                point("io-heavy", "threadpool", 1_000, Double.NaN, 1_000, 400_000),
                point("io-heavy", "threadpool", 1_900, Double.NaN, 1_100, 900_000));
        List<ClimbOutcome> climbs = List.of(
                new ClimbOutcome("io-heavy", "loop", 150, "top-of-ladder", Double.NaN, 1_900, 100_000),
                new ClimbOutcome("io-heavy", "threadpool", 150, "p99-above-slo", 1_000, Double.NaN, 1_500));
        LoadGroup g = LoadGroup.of(pts, climbs).get(0);
        assertEquals(1_000, g.saturation("threadpool"));
        assertTrue(Double.isNaN(g.saturation("loop")));
        assertEquals(
                List.of(
                        "io-heavy: no offered rate was run and sustained by every runtime, so no latencies are compared here.",
                        "io-heavy, the highest offered rate sustained with p99 within 150 ms: loop 1,900, threadpool none of "
                                + "the rates req/s.",
                        "io-heavy at 1,900 req/s, the highest rate both were offered: completed loop 1,900, threadpool 1,100 req/s."),
                Findings.of(List.of(g), null));
    }

    /**
     * Random runs, some sharing rates and some not, some with the climbs' records: no sentence holding
     * two latencies names more than one rate, and no sentence naming several rates holds more than one
     * latency (the objective's).
     */
    @Test
    void noSentencePutsLatenciesTakenAtDifferentRatesSideBySide() {
        SplittableRandom rnd = new SplittableRandom(16);
        for (int run = 0; run < 2_000; run++) {
            List<LoadPoint> pts = new ArrayList<>();
            boolean fractions = rnd.nextBoolean();
            for (String rt : List.of("loop", "loom", "threadpool")) {
                double capacity = Math.pow(10, rnd.nextDouble(2, 5));
                for (int i = 0; i < rnd.nextInt(1, 6); i++) {
                    double rate = fractions
                            ? Math.round(capacity * (0.25 + 0.25 * i))
                            : List.of(500.0, 1_000.0, 2_000.0, 4_000.0, 8_000.0).get(rnd.nextInt(5));
                    double achieved = Math.min(rate, capacity) * rnd.nextDouble(0.9, 1.0);
                    pts.add(point(
                            "mixed",
                            rt,
                            rate,
                            fractions ? 0.25 + 0.25 * i : Double.NaN,
                            achieved,
                            rnd.nextDouble(1e3, 1e6)));
                }
            }
            List<ClimbOutcome> climbs = new ArrayList<>();
            if (!fractions && rnd.nextBoolean()) {
                for (String rt : List.of("loop", "loom", "threadpool")) {
                    climbs.add(new ClimbOutcome(
                            "mixed", rt, 120, "fell-behind", 8_000, rnd.nextBoolean() ? 2_000 : Double.NaN, 9_000));
                }
            }
            for (String sentence : Findings.of(LoadGroup.of(pts, climbs), null)) {
                Set<String> rates = new HashSet<>();
                Matcher m = RATE_OR_THROUGHPUT.matcher(sentence);
                while (m.find()) {
                    rates.add(m.group(1));
                }
                if (count(LATENCY, sentence) >= 2) {
                    assertEquals(1, rates.size(), sentence);
                }
                if (rates.size() > 1 || sentence.contains("highest offered rate sustained")) {
                    assertTrue(count(LATENCY, sentence) <= 1, sentence);
                }
            }
        }
    }

    @Test
    void aSingleRuntimeIsComparedWithNothing() {
        assertTrue(Findings.of(LoadGroup.of(List.of(point("mixed", "loop", 1_000, Double.NaN, 1_000, 5_000))), null)
                .isEmpty());
        assertFalse(Findings.of(
                        LoadGroup.of(List.of(
                                point("mixed", "loop", 1_000, Double.NaN, 1_000, 5_000),
                                point("mixed", "loom", 1_000, Double.NaN, 1_000, 5_000))),
                        null)
                .isEmpty());
    }

    private static int count(Pattern p, String s) {
        int n = 0;
        Matcher m = p.matcher(s);
        while (m.find()) {
            n++;
        }
        return n;
    }
}
