package loopbench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    /**
     * The shortest point: below a second, a point at the lowest capacities holds too few requests for
     * its percentiles, and the lag probe and interval log too few samples (issue 19, defect 7).
     */
    static final double MIN_SECONDS = 1;

    static final double MAX_SECONDS = 3600;

    /** A profile: point length, fractions, warm-up, capacity-search step, drain limit; all in seconds. */
    record Profile(
            String name, double seconds, List<Double> fractions, double warmup, double estimateStep, double drain) {}

    static final Profile QUICK = new Profile("quick", 5, List.of(0.5, 0.9), 1.5, 0.25, 2);
    static final Profile FULL = new Profile("full", 20, List.of(0.25, 0.5, 0.75, 0.9, 1.1), 5, 0.5, 10);

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private Profile base = QUICK;

    @Option(
            names = "--quick",
            description = "3 loads x 3 runtimes at 0.5 and 0.9 of capacity, 5 s each (default; about 4 minutes)")
    void quick(boolean on) {
        base = QUICK;
    }

    @Option(names = "--full", description = "at 0.25, 0.5, 0.75, 0.9 and 1.1 of capacity, 20 s each (about 20 minutes)")
    void full(boolean on) {
        base = FULL;
    }

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
            description =
                    "offered load as fractions of the estimated capacity, each in (0, 10] (overrides the profile)")
    List<Double> fractions;

    @Option(
            names = "--layout",
            paramLabel = "L",
            completionCandidates = LayoutNames.class,
            description = "per-core (default: one loop per core), single, or per-request (loom, threadpool)")
    String layout = "per-core";

    @Option(
            names = "--capacity-from",
            paramLabel = "D",
            description = "reuse the capacities of an earlier run directory D (same rates: comparable runs)")
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

    /** The profile with --seconds and --fractions applied, after checking them. */
    Profile profile() {
        if (seconds != null && (!(seconds >= MIN_SECONDS) || seconds > MAX_SECONDS)) {
            throw usage("--seconds must be in [" + NumberText.plain(MIN_SECONDS) + ", " + NumberText.plain(MAX_SECONDS)
                    + "] (shorter points hold too few requests for their percentiles), got "
                    + NumberText.plain(seconds));
        }
        if (fractions != null) {
            for (double f : fractions) {
                if (!(f > 0) || f > 10) {
                    throw usage("--fractions: each must be in (0, 10], got " + NumberText.plain(f));
                }
            }
        }
        return new Profile(
                base.name(),
                seconds != null ? seconds : base.seconds(),
                fractions != null ? List.copyOf(fractions) : base.fractions(),
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
