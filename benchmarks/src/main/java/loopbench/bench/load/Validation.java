package loopbench.bench.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import loopbench.bench.backend.BackendConfig;
import loopbench.bench.ladder.MG1;
import picocli.CommandLine.Option;

/**
 * The harness checked against queueing theory before it is trusted with anything harder. One loop
 * ({@link Layout#SINGLE}) running {@code cpu-blocking} inline, fed Poisson arrivals, is an M/G/1
 * queue; its mean latency must then be the Pollaczek-Khinchine mean ({@link MG1}) of its own
 * measured service times. The command first measures the service-time distribution at a low load,
 * then runs the loop at utilisations 0.5 and 0.8 of it and compares each point's measured mean
 * latency (from the intended start) with E[S] + lambda E[S^2] / (2 (1 - rho)), taking E[S] and
 * E[S^2] from that point's own service times and lambda from the requests it issued.
 *
 * <p>A point passes within {@link #TOLERANCE} relative error. A failure says where time may go:
 * time on the loop that no handler accounts for (the loop's busy fraction above lambda E[S]: dispatch,
 * wake-ups, the lag probe), collections, and the generator starting requests late (sharing a core).
 */
public final class Validation {
    /** The largest relative error of the mean latency that passes. */
    public static final double TOLERANCE = 0.10;

    private Validation() {}

    /**
     * One measured point, times in seconds.
     *
     * @param targetRho      the utilisation the point was set up for
     * @param lambda         requests issued per second
     * @param meanService    E[S], measured
     * @param secondMoment   E[S^2], measured
     * @param meanLatency    measured mean latency, from the intended start
     * @param busy           the loop's busy fraction (0..1), NaN when unknown
     * @param gcSeconds      collection time during the point
     * @param lateStarts     requests the generator sent more than 1 ms late
     * @param sameArrivals   the mean latency of an ideal M/G/1 queue fed this point's very arrivals and classes
     *                       (Lindley's recursion, each class at its measured mean): what P-K's mean is for this
     *                       sample; NaN when not computed
     */
    public record Measurement(
            double targetRho,
            double lambda,
            double meanService,
            double secondMoment,
            double meanLatency,
            double busy,
            double gcSeconds,
            long lateStarts,
            double sameArrivals) {

        public double rho() {
            return lambda * meanService;
        }

        /** The Pollaczek-Khinchine mean for this point's lambda and moments; NaN when rho >= 1. */
        public double predicted() {
            return rho() < 1 ? new MG1(meanService, secondMoment).meanResponse(lambda) : Double.NaN;
        }

        /** (measured - predicted) / predicted. */
        public double relativeError() {
            return (meanLatency - predicted()) / predicted();
        }

        /** (measured - ideal queue on the same arrivals) / ideal: the harness's own error, the sample's removed. */
        public double errorOnSameArrivals() {
            return (meanLatency - sameArrivals) / sameArrivals;
        }

        /**
         * Within the tolerance of P-K; or, when this sample's own ideal queue is itself off P-K (a heavy-tailed
         * mean converges slowly), within the tolerance of that ideal queue: the difference is then the sample's.
         */
        public boolean passes(double tolerance) {
            return Math.abs(relativeError()) <= tolerance || Math.abs(errorOnSameArrivals()) <= tolerance; // NaN fails
        }

        static Measurement of(double targetRho, PointResult r, double seconds, double sameArrivals) {
            double mean = r.figure("service.mean") / 1e6;
            double sd = r.figure("service.stdev") / 1e6;
            return new Measurement(
                    targetRho,
                    r.requests / seconds,
                    mean,
                    sd * sd + mean * mean,
                    r.figure("latency.mean") / 1e6,
                    r.figure("loop.busy.mean") / 100,
                    r.figure("gc.ms") / 1e3,
                    (long) r.figure("lateStarts"),
                    sameArrivals);
        }
    }

    /**
     * The mean latency of an ideal single-server FIFO queue fed the arrivals and request classes a point
     * with {@code rate}, {@code seconds} and {@code seed} offers (the generator's own draws), each class
     * served in its mean time: Lindley's recursion W' = max(0, W + S - gap).
     */
    static double sameArrivals(
            double rate, double seconds, long seed, double heavyShare, double heavyS, double lightS) {
        Arrivals arrivals = Arrivals.poisson(rate, seed);
        java.util.SplittableRandom heavy = OpenLoopGenerator.heavyDraw(seed);
        double end = seconds * 1e9;
        double offset = 0;
        double wait = 0;
        double previous = 0;
        double sum = 0;
        long n = 0;
        while (offset < end) {
            double s = heavyShare > 0 && heavy.nextDouble() < heavyShare ? heavyS : lightS;
            sum += wait + s;
            n++;
            previous = s;
            double gap = arrivals.nextGapNanos() / 1e9;
            offset += gap * 1e9;
            wait = Math.max(0, wait + previous - gap);
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Each class's service time for the replay: its measured work, scaled so that the mix has the measured E[S]. */
    static double[] classServiceTimes(PointResult r, LoadSpec spec) {
        double heavy = r.figure("work.heavy.mean");
        double light = r.figure("work.light.mean");
        if (Double.isNaN(heavy)) heavy = spec.heavyCpuMicros();
        if (Double.isNaN(light)) light = spec.lightCpuMicros();
        double mix = spec.heavyShare() * heavy + (1 - spec.heavyShare()) * light;
        double k = r.figure("service.mean") / mix;
        return new double[] {heavy * k / 1e6, light * k / 1e6};
    }

    /** Whether every point passed, and the lines that say so (a table, then where time may go). */
    public record Verdict(boolean passed, List<String> lines) {}

    public static Verdict judge(List<Measurement> points, double tolerance) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "%-6s %-5s %10s %9s %9s %11s %13s %13s %8s %14s %8s  %s",
                "target",
                "rho",
                "lambda/s",
                "E[S]",
                "busy",
                "E[S^2]",
                "mean latency",
                "P-K predicts",
                "error",
                "same arrivals",
                "error",
                "verdict"));
        boolean passed = !points.isEmpty();
        List<String> why = new ArrayList<>();
        for (Measurement m : points) {
            boolean ok = m.passes(tolerance);
            passed &= ok;
            lines.add(String.format(
                    Locale.ROOT,
                    "%-6.2f %-5.2f %,10.0f %9s %8.1f%% %8.3f ms2 %13s %13s %+7.1f%% %14s %+7.1f%%  %s",
                    m.targetRho(),
                    m.rho(),
                    m.lambda(),
                    time(m.meanService()),
                    100 * m.busy(),
                    m.secondMoment() * 1e6,
                    time(m.meanLatency()),
                    time(m.predicted()),
                    100 * m.relativeError(),
                    time(m.sameArrivals()),
                    100 * m.errorOnSameArrivals(),
                    !ok
                            ? "OFF by more than " + Math.round(100 * tolerance) + "%"
                            : Math.abs(m.relativeError()) <= tolerance
                                    ? "ok"
                                    : "ok on its own arrivals (the sample is off P-K)"));
            if (!ok) why.add(whereTimeMayGo(m));
        }
        if (!why.isEmpty()) {
            lines.add("Where the time may go:");
            lines.addAll(why);
        }
        return new Verdict(passed, List.copyOf(lines));
    }

    /** The suspects for one point that missed, with this point's figures. */
    static String whereTimeMayGo(Measurement m) {
        List<String> s = new ArrayList<>();
        if (Double.isNaN(m.predicted())) {
            return String.format(
                    Locale.ROOT,
                    "  rho %.2f: the measured utilisation is %.2f, at or past 1: the service times grew under load (the"
                            + " CPU is shared), so no stable queue is predicted",
                    m.targetRho(),
                    m.rho());
        }
        double extraPerRequest = m.busy() / m.lambda() - m.meanService();
        if (!Double.isNaN(extraPerRequest) && extraPerRequest > 0.02 * m.meanService()) {
            s.add(String.format(
                    Locale.ROOT,
                    "the loop is busy %.1f%% against lambda E[S] = %.1f%%: %s per request on the loop outside the handler"
                            + " (dispatch, wake-ups, the lag probe), which the model does not count as service",
                    100 * m.busy(),
                    100 * m.rho(),
                    time(extraPerRequest)));
        }
        if (m.gcSeconds() > 0) s.add(String.format(Locale.ROOT, "collections took %s", time(m.gcSeconds())));
        if (m.lateStarts() > 0) {
            s.add(String.format(
                    Locale.ROOT,
                    "%,d requests started late (the generator shares the cores: each adds to latency, not to the queue)",
                    m.lateStarts()));
        }
        if (m.relativeError() < 0) {
            s.add("a measured mean under the model's: a sample too short for the heavy tail (run longer: --seconds)");
        } else if (s.isEmpty()) {
            s.add("the idle loop's wake-up on each arrival, or JIT work: nothing this point measured accounts for it");
        }
        return String.format(Locale.ROOT, "  rho %.2f: %s", m.targetRho(), String.join("; ", s));
    }

    static String time(double seconds) {
        if (Double.isNaN(seconds)) return "-";
        return seconds >= 1e-3
                ? String.format(Locale.ROOT, "%.2f ms", seconds * 1e3)
                : String.format(Locale.ROOT, "%.1f us", seconds * 1e6);
    }

    /** {@code LoadRunner validate}: measure, run at each utilisation, judge. Exit 0 when every point passed, else 1. */
    @picocli.CommandLine.Command(name = "validate", mixinStandardHelpOptions = true)
    static final class Command implements Callable<Integer> {
        @Option(names = "--runtime", required = true) // validate's own command states the default
        String runtime;

        @Option(names = "--seconds", description = "length of the rho 0.5 point; the rho 0.8 point runs 3x as long")
        double seconds = 20;

        @Option(names = "--calibrate-seconds")
        double calibrateSeconds = 6;

        @Option(names = "--warmup", description = "a discarded point first, so the JIT has compiled the loop")
        double warmupSeconds = 4;

        @Option(names = "--tolerance", description = "relative error that passes, in percent")
        double tolerancePercent = 100 * TOLERANCE;

        private final PrintStream out;

        Command(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() throws Exception {
            loopbench.core.EventLoops.provider(runtime); // fails early on an unknown runtime
            LoadSpec spec = Loads.CPU_BLOCKING;
            long spin = NanoClock.autoSpinNanos();
            out.printf(
                    Locale.ROOT,
                    "validate: %s on one %s loop, Poisson arrivals, against M/G/1 (Pollaczek-Khinchine)%n",
                    spec.describe(),
                    runtime);
            double nominal = spec.meanCpuMicros() / 1e6;
            point(spec, 0.5 / nominal, warmupSeconds, 0.5, 5, spin); // discarded: the JIT compiles the loop
            PointResult cal = point(spec, 0.3 / nominal, calibrateSeconds, 0.3, 7, spin);
            double meanS = cal.figure("service.mean") / 1e6;
            out.printf(
                    Locale.ROOT,
                    "  service time at rho ~0.3 (%.0f s, after a %.0f s warm-up): E[S] %s (nominal %s), heavy work %s"
                            + " (nominal %s), light %s (nominal %s)%n",
                    calibrateSeconds,
                    warmupSeconds,
                    time(meanS),
                    time(nominal),
                    time(cal.figure("work.heavy.mean") / 1e6),
                    time(spec.heavyCpuMicros() / 1e6),
                    time(cal.figure("work.light.mean") / 1e6),
                    time(spec.lightCpuMicros() / 1e6));
            List<Measurement> ms = new ArrayList<>();
            double[] rhos = {0.5, 0.8};
            for (int i = 0; i < rhos.length; i++) {
                double s = i == 0 ? seconds : 3 * seconds;
                double rate = Math.max(1, Math.round(rhos[i] / meanS));
                PointResult r = point(spec, rate, s, rhos[i], 11 + i, spin);
                out.println("  rho " + rhos[i] + ": " + r.summary().replace("\n", "\n  "));
                double[] classes = classServiceTimes(r, spec);
                Measurement m = Measurement.of(
                        rhos[i], r, s, sameArrivals(rate, s, 11 + i, spec.heavyShare(), classes[0], classes[1]));
                ms.add(m);
                // CPU work only grows when something else takes the core: the least E[S] seen is the best guess
                meanS = Math.min(meanS, m.meanService());
            }
            Verdict v = judge(ms, tolerancePercent / 100);
            v.lines().forEach(out::println);
            out.println(
                    v.passed()
                            ? "validate: the harness agrees with M/G/1 within " + fmt(tolerancePercent) + "%"
                            : "validate: FAILED: a mean latency is more than " + fmt(tolerancePercent)
                                    + "% from the Pollaczek-Khinchine mean");
            return v.passed() ? 0 : 1;
        }

        private PointResult point(LoadSpec spec, double rate, double secs, double rho, long seed, long spin)
                throws Exception {
            LoadRun.Config c = LoadRun.Config.of(runtime, spec, Math.max(1, Math.round(rate)), rho, 0, secs)
                    .withLayout(Layout.SINGLE)
                    .withLoops(1, 0)
                    .withArrival("poisson", seed)
                    .withLimits(10_000, spin, 1_000_000, 5)
                    .withBackend(BackendConfig.NONE);
            System.gc(); // outside the measurement
            return LoadRun.run(c);
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
