package loopbench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import loopbench.bench.ladder.RateLadder;
import loopbench.bench.load.Loads;
import loopbench.core.EventLoops;
import loopbench.report.NumberText;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of {@code loopbench bench}, as given; {@link #profile()} and the checks turn them into
 * what one run does. Every check that fails throws a {@link ParameterException} naming the option,
 * the value and what is allowed (exit status 2).
 */
final class BenchOptions {
    static final List<String> LOADS = Loads.names();
    /** The loads that make backend calls (the others need no backend). */
    static final List<String> LOADS_WITH_BACKEND_CALLS = Loads.namesWithBackendCalls();

    static final List<String> LAYOUTS = List.of("per-core", "single", "per-request");
    static final List<String> ARRIVALS = List.of("poisson", "constant");
    /**
     * The shortest point: below a second, a point at the lowest capacities holds too few requests for
     * its percentiles, and the lag probe and interval log too few samples (issue 19, defect 7).
     */
    static final double MIN_SECONDS = 1;

    static final double MAX_SECONDS = 3600;

    /**
     * A profile: how the offered rates are chosen, the point length, warm-up, capacity-search step and
     * drain limit (all in seconds).
     *
     * @param fractions    the fractions view ({@code --fractions}): shares of each runtime's own estimate,
     *                     or null for a rate ladder
     * @param rates        an explicit ladder ({@code --rates}), or null for the default one
     * @param ladderPoints the default ladder's rates at and below the slowest runtime's estimate
     * @param maxRungs     the default ladder's most rates ({@link RateLadder#spanning(double, double, int, int)})
     * @param sloP99Ms     the latency objective for every load, or null for each load's own
     */
    record Profile(
            String name,
            double seconds,
            List<Double> fractions,
            RateLadder rates,
            int ladderPoints,
            int maxRungs,
            Double sloP99Ms,
            double warmup,
            double estimateStep,
            double drain) {
        boolean ladder() {
            return fractions == null;
        }

        /** Points per fork: the fractions, or the ladder's rungs (an upper bound: a climb may stop early). */
        int pointsPerFork(RateLadder ladder) {
            return ladder() ? (ladder != null ? ladder.size() : maxRungs) : fractions.size();
        }
    }

    /** Quick: ladder points of 1.5 s (longer at low rates), about 5 minutes. */
    static final Profile QUICK = new Profile("quick", 1.5, null, null, 6, 10, null, 1, 0.2, 1);

    static final Profile FULL = new Profile("full", 10, null, null, 12, 22, null, 5, 0.5, 10);
    /** The fractions view's point lengths, as before the ladder: a share of a low estimate needs them. */
    static final double QUICK_FRACTION_SECONDS = 5;

    static final double FULL_FRACTION_SECONDS = 20;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private Profile base = QUICK;

    @Option(
            names = "--quick",
            description =
                    "3 loads x 3 runtimes up a rate ladder of at most 10 rates, 1.5 s each (default; about 5 minutes)")
    void quick(boolean on) {
        base = QUICK;
    }

    @Option(names = "--full", description = "up a ladder of at most 22 rates, 10 s each (about 25 minutes)")
    void full(boolean on) {
        base = FULL;
    }

    @Option(
            names = "--rates",
            paramLabel = "R[,R...]",
            split = ",",
            description = "the ladder every runtime climbs, in requests per second, ascending (default: "
                    + "geometric, about 1.4x a step, from the slowest runtime's estimate to just past the fastest's)")
    List<Double> rates;

    @Option(
            names = "--slo-p99-ms",
            paramLabel = "MS",
            description = "the latency objective of every load: p99 at most MS (default: each load's own, "
                    + "10x its no-queueing p99: cpu-blocking 50, io-heavy 150, mixed 120)")
    Double sloP99Ms;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "the run directory (default: results/run-<timestamp>; must not hold a run already)")
    Path out;

    @Option(
            names = "--runtime",
            paramLabel = "R[,R...]",
            description = "${COMPLETION-CANDIDATES}, a comma list, or all (default: all)",
            completionCandidates = RuntimeNames.class)
    String runtime = "all";

    @Option(
            names = "--load",
            paramLabel = "L[,L...]",
            description = "${COMPLETION-CANDIDATES}, a comma list, or all (default: all)",
            completionCandidates = LoadNames.class)
    String load = "all";

    @Option(
            names = "--seconds",
            paramLabel = "S",
            description = "length of each point, at least 1 (overrides the profile)")
    Double seconds;

    @Option(
            names = "--fractions",
            paramLabel = "F",
            split = ",",
            description = "instead of a ladder, offer each runtime fractions of its own estimated capacity, each in "
                    + "(0, 10], e.g. 0.5,0.9 (5 s points; 20 s with --full); their latencies are never compared "
                    + "across runtimes")
    List<Double> fractions;

    @Option(
            names = "--layout",
            paramLabel = "L",
            completionCandidates = LayoutNames.class,
            description = "per-core (default: one loop per core), single, or per-request (loom, threadpool)")
    String layout = "per-core";

    @Option(
            names = "--arrival",
            paramLabel = "A",
            completionCandidates = ArrivalNames.class,
            description = "the requests' arrival process: poisson (default: exponential gaps, seeded) or constant "
                    + "(one every 1/rate)")
    String arrival = "poisson";

    @Option(
            names = "--capacity-from",
            paramLabel = "D",
            description = "reuse the capacity estimates of an earlier run directory D (the same ladder, or the "
                    + "same rates for --fractions: comparable runs)")
    Path capacityFrom;

    @Option(names = "--no-jfr", description = "no flight recordings")
    boolean noJfr;

    @Option(names = "--no-report", description = "do not generate the report at the end")
    boolean noReport;

    @Option(
            names = "--no-micro",
            description = "skip the micro suite (quick: the Node-comparable operations, short JMH settings)")
    boolean noMicro;

    @Option(
            names = "--backend",
            paramLabel = "B",
            description = "where io-heavy's and mixed's backend calls go: tcp (default: "
                    + "frames over loopback TCP to a delay backend this run starts in a JVM of its own), HOST:PORT (a delay backend "
                    + "already running there), or simulated (a timer per call, no I/O)")
    String backend;

    @Option(
            names = "--backend-threads",
            paramLabel = "N",
            description = "selector threads of the delay backend the run starts, 1..64 (default 1)")
    int backendThreads = 1;

    @Option(
            names = "--backend-connections",
            paramLabel = "N",
            description = "TCP connections each loop opens at start and pipelines its calls over, 1..256 (default 4)")
    int backendConnections = 4;

    @Option(
            names = "--java-home",
            paramLabel = "DIR",
            description = "the JDK (21 or newer) the measured JVMs run on (default: the one running this command)")
    Path javaHome;

    @Option(
            names = "--jvm-args",
            paramLabel = "\"ARGS\"",
            description = "more options for the measured JVMs, e.g. \"-XX:+UseZGC\" (after the defaults, so they win)")
    String jvmArgs;

    /** The measured JVMs: --java-home and --jvm-args, checked by starting that JVM once (a usage error if it refuses). */
    MeasuredJvm measuredJvm(List<String> defaults) {
        try {
            return MeasuredJvm.probe(javaHome, defaults, MeasuredJvm.split(jvmArgs));
        } catch (MeasuredJvm.Refused e) {
            throw usage(e.getMessage());
        }
    }

    /** What --runtime accepts besides all: the runtimes on the class path. */
    static final class RuntimeNames extends ArrayList<String> {
        RuntimeNames() {
            super(EventLoops.names());
        }
    }

    static final class LoadNames extends ArrayList<String> {
        LoadNames() {
            super(LOADS);
        }
    }

    static final class LayoutNames extends ArrayList<String> {
        LayoutNames() {
            super(LAYOUTS);
        }
    }

    static final class ArrivalNames extends ArrayList<String> {
        ArrivalNames() {
            super(ARRIVALS);
        }
    }

    /** The profile with --seconds, --fractions, --rates and --slo-p99-ms applied, after checking them. */
    Profile profile() {
        if (seconds != null && (!(seconds >= MIN_SECONDS) || seconds > MAX_SECONDS)) {
            throw usage("--seconds must be in [" + NumberText.plain(MIN_SECONDS) + ", " + NumberText.plain(MAX_SECONDS)
                    + "] (shorter points hold too few requests for their percentiles), got "
                    + NumberText.plain(seconds));
        }
        if (fractions != null && rates != null) {
            throw usage("--rates and --fractions are two ways to choose the offered rates: give one");
        }
        if (fractions != null) {
            for (double f : fractions) {
                if (!(f > 0) || f > 10) {
                    throw usage("--fractions: each must be in (0, 10], got " + NumberText.plain(f));
                }
            }
        }
        RateLadder ladder = null;
        if (rates != null) {
            try {
                ladder = RateLadder.of(rates);
            } catch (IllegalArgumentException e) {
                throw usage("--rates: " + e.getMessage());
            }
        }
        if (sloP99Ms != null && (!(sloP99Ms > 0) || sloP99Ms > 600_000)) {
            throw usage(
                    "--slo-p99-ms must be a number of milliseconds in (0, 600000], got " + NumberText.plain(sloP99Ms));
        }
        boolean full = base == FULL;
        List<Double> f = fractions == null ? null : List.copyOf(fractions);
        double length = seconds != null
                ? seconds
                : f == null ? base.seconds() : full ? FULL_FRACTION_SECONDS : QUICK_FRACTION_SECONDS;
        return new Profile(
                base.name(),
                length,
                f,
                ladder,
                base.ladderPoints(),
                base.maxRungs(),
                sloP99Ms,
                base.warmup(),
                base.estimateStep(),
                seconds != null ? Math.min(10, Math.max(2, seconds)) : base.drain());
    }

    List<String> loads() {
        return pick(spec, "--load", load, LOADS);
    }

    List<String> runtimes() {
        return pick(spec, "--runtime", runtime, EventLoops.names());
    }

    /** The checks that need no file: layout, backend mode, its threads and connections. */
    void check() {
        if (!LAYOUTS.contains(layout)) {
            throw usage("--layout must be " + String.join(", ", LAYOUTS) + ", got '" + layout + "'");
        }
        if (!ARRIVALS.contains(arrival)) {
            throw usage("--arrival must be " + String.join(" or ", ARRIVALS) + ", got '" + arrival + "'");
        }
        if (backend != null) {
            checkBackend(backend);
        }
        if (backendThreads < 1 || backendThreads > 64) {
            throw usage("--backend-threads must be 1..64, got " + backendThreads);
        }
        if (backendConnections < 1 || backendConnections > 256) {
            throw usage("--backend-connections must be 1..256 (per loop), got " + backendConnections);
        }
    }

    /** {@code --backend}: simulated, tcp or HOST:PORT (port 1..65535). */
    private void checkBackend(String value) {
        if (value.equals("simulated") || value.equals("tcp")) {
            return;
        }
        int colon = value.lastIndexOf(':');
        if (colon > 0) {
            try {
                int port = Integer.parseInt(value.substring(colon + 1));
                if (port >= 1 && port <= 65_535) {
                    return;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw usage("--backend " + value + ": the port must be a number in 1..65535");
        }
        throw usage("--backend must be tcp (a delay backend started for the run), HOST:PORT (a running "
                + "delay backend) or simulated, got '" + value + "'");
    }

    ParameterException usage(String problem) {
        return new ParameterException(spec.commandLine(), problem);
    }

    /**
     * The names a comma list (or all) picks from {@code known}, in {@code known}'s order (the report's),
     * without repeats; an unknown name is a usage error that lists the allowed ones.
     */
    static List<String> pick(CommandSpec spec, String option, String value, List<String> known) {
        if (value.equals("all")) {
            return known;
        }
        List<String> picked = new ArrayList<>();
        for (String v : value.split(",")) {
            String s = v.trim();
            if (!known.contains(s)) {
                throw new ParameterException(
                        spec.commandLine(),
                        "unknown " + option.substring(2) + " '" + s + "' for " + option + ": use "
                                + String.join(", ", known) + " or all");
            }
            picked.add(s);
        }
        return known.stream().filter(picked::contains).toList();
    }
}
