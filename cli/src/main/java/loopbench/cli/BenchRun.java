package loopbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import loopbench.bench.ladder.RateLadder;
import loopbench.bench.load.Loads;
import loopbench.report.NumberText;
import loopbench.schema.ForkEvent;
import loopbench.schema.RunFiles;

/**
 * One bench run: a forked JVM per load and runtime ({@code loopbench.bench.load.LoadRunner}), then
 * the harness self-check; results.json is re-assembled after each fork, run.json says whether the
 * run is complete. A failed or timed-out fork, or an interrupt, leaves the other results intact and
 * marks run.json partial with the reason.
 *
 * <p>On a rate ladder (the default) each load first needs its ladder, the same for every runtime:
 * {@code --rates}, or one spanning the runtimes' closed-loop estimates, each from a short fork of
 * its own (or from {@code --capacity-from}). Then each runtime's fork climbs it until it saturates.
 *
 * <p>Guarded by {@code lock}: {@code current}, {@code child}, {@code finished}, {@code interrupted},
 * {@code capacity}, {@code ladders} and {@code failures}, which the signal handler reads and writes too.
 */
final class BenchRun {
    private static final String RUNNER = "loopbench.bench.load.LoadRunner";

    /**
     * Grid rates (steps of about 1.4x) a climb may go past a default ladder's top while the runtime
     * still keeps up: up to 2.7x past it, enough for an estimate that was a third low.
     */
    static final int EXTRA_RUNGS = 3;

    private final BenchOptions.Profile profile;
    private final Path dir;
    private final Path jar;
    private final Path home;
    private final List<String> loads;
    private final List<String> runtimes;
    private final String layout;
    private final String arrival;
    private final Placement placement;
    private final boolean jfr;
    private final boolean micro; // run.json says whether micro.json was asked for
    private final Map<String, Map<String, Double>> reuse;
    private final DelayBackendProcess backend;
    private final PrintStream out;
    private final PrintStream err;
    private final List<BenchProgress.Fork> forks = new ArrayList<>();
    private final BenchProgress progress;
    /** The measured JVMs' options (bench's forks, validate's) before --jvm-args: LOOPBENCH_BENCH_JAVA_OPTS, or a fixed, pre-touched 1 GB heap. */
    static final List<String> DEFAULT_JVM_OPTIONS =
            ForkedJvm.options("LOOPBENCH_BENCH_JAVA_OPTS", List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"));

    private final MeasuredJvm jvm;
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Object lock = new Object();
    private final Map<String, Map<String, Double>> capacity = new LinkedHashMap<>();
    private final Map<String, RateLadder> ladders = new LinkedHashMap<>();
    /** The forks whose climb ended with its outcome written (a ladder fork without one lost points). */
    private final java.util.Set<String> climbed = new java.util.HashSet<>();

    private final List<String> failures = new ArrayList<>();
    private JsonNode harness;
    private double maxRate;
    private String current = "start-up";
    private ForkedJvm child;
    private boolean finished;
    private boolean interrupted;

    BenchRun(
            BenchOptions.Profile profile,
            Path dir,
            Path jar,
            Path home,
            List<String> loads,
            List<String> runtimes,
            String layout,
            String arrival,
            Placement placement,
            boolean jfr,
            boolean micro,
            Map<String, Map<String, Double>> reuse,
            DelayBackendProcess backend,
            MeasuredJvm jvm,
            PrintStream out,
            PrintStream err) {
        this.profile = profile;
        this.dir = dir;
        this.jar = jar;
        this.home = home;
        this.loads = loads;
        this.runtimes = runtimes;
        this.layout = layout;
        this.arrival = arrival;
        this.placement = placement;
        this.jfr = jfr;
        this.micro = micro;
        this.reuse = reuse;
        this.backend = backend;
        this.jvm = jvm;
        this.out = out;
        this.err = err;
        for (String l : loads) {
            for (String r : runtimes) {
                forks.add(new BenchProgress.Fork(l, r));
            }
        }
        progress = new BenchProgress(profile, forks, reuse, jfr, out);
    }

    /** Runs every fork; 0 complete, 1 partial. */
    int execute() {
        if (profile.ladder()) {
            out.printf(
                    Locale.ROOT,
                    "loopbench bench (%s): %d load(s) x %d runtime(s), each climbing %s until it saturates "
                            + "(at most %d points in %d JVMs), points of %s s or more; about %s%n",
                    profile.name(),
                    loads.size(),
                    runtimes.size(),
                    profile.rates() != null ? "the ladder " + profile.rates() : "the load's rate ladder",
                    progress.totalPoints,
                    forks.size(),
                    NumberText.plain(profile.seconds()),
                    NumberText.duration(progress.plannedTotal()));
        } else {
            out.printf(
                    Locale.ROOT,
                    "loopbench bench (%s): %d load(s) x %d runtime(s) x %d fraction(s) %s = %d points in %d JVMs, "
                            + "%s s each; about %s%n",
                    profile.name(),
                    loads.size(),
                    runtimes.size(),
                    profile.fractions().size(),
                    profile.fractions(),
                    progress.totalPoints,
                    forks.size(),
                    NumberText.plain(profile.seconds()),
                    NumberText.duration(progress.plannedTotal()));
        }
        out.println("Run directory: " + dir);
        if (placement.warning() != null) {
            out.println("Warning: " + placement.warning());
        } else if (placement.pinned()) {
            out.println("Pinned: measured JVMs on cores " + placement.measuredCpus() + ", the delay backend on core "
                    + placement.backendCpus() + " (taskset)");
        }
        out.println("Measured JVMs: " + jvm.java() + " (Java " + jvm.version() + ", " + jvm.gc() + " GC) "
                + String.join(" ", jvm.args()));
        Thread hook = new Thread(this::onSignal, "loopbench-bench-interrupt");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            if (backend.startsOwn()) {
                backend.start(jar, home, placement, err);
            }
            out.println("Backend calls (io-heavy, mixed): " + backend.describe());
            writeRunInfo();
        } catch (IOException e) {
            err.println("bench: " + e.getMessage());
            backend.stop();
            Runtime.getRuntime().removeShutdownHook(hook);
            return 1;
        }
        try {
            for (int i = 0; i < forks.size(); i++) {
                BenchProgress.Fork f = forks.get(i);
                synchronized (lock) {
                    if (interrupted) {
                        break;
                    }
                    current = f.name();
                }
                RateLadder ladder = null;
                if (profile.ladder()) {
                    ladder = ladderFor(f.load());
                    if (ladder == null) {
                        continue; // said why once, in ladderFor
                    }
                }
                runFork(f, i, ladder);
                try {
                    RunAssembly.assemble(dir, err);
                } catch (IOException e) {
                    err.println("bench: cannot write results.json: " + e);
                }
            }
            backend.stop(); // the forks that call it are done
            synchronized (lock) {
                if (!interrupted) {
                    current = "harness self-check";
                }
            }
            if (!interrupted && maxRate > 0) {
                runHarnessCheck();
            }
        } finally {
            backend.stop();
            synchronized (lock) {
                if (!interrupted) {
                    finished = true;
                    try {
                        RunAssembly.assemble(dir, err);
                        writeRunInfo();
                    } catch (IOException e) {
                        err.println("bench: cannot write the results: " + e);
                        failures.add("cannot write the results: " + e);
                    }
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running or has run
            }
        }
        out.println();
        progress.printSummary(dir);
        out.printf(
                Locale.ROOT,
                "Finished in %s: %d of %d points%s%n",
                NumberText.duration(progress.elapsedSeconds()),
                progress.pointsDone,
                progress.totalPoints,
                failures.isEmpty() ? "" : "; PARTIAL: " + String.join("; ", failures));
        return failures.isEmpty() ? 0 : 1;
    }

    /**
     * The load's ladder: {@code --rates}, or one spanning the runtimes' estimates (reused, or each
     * measured by a fork of its own, once). Null, with the reason among the failures, when no runtime
     * has an estimate.
     */
    private RateLadder ladderFor(String load) {
        synchronized (lock) {
            if (ladders.containsKey(load)) {
                return ladders.get(load);
            }
        }
        RateLadder ladder = profile.rates();
        if (ladder == null) {
            List<Double> estimates = new ArrayList<>();
            for (String rt : runtimes) {
                Double e = reuse.getOrDefault(load, Map.of()).get(rt);
                if (e == null) {
                    runEstimate(new BenchProgress.Fork(load, rt));
                    synchronized (lock) {
                        e = capacity.getOrDefault(load, Map.of()).get(rt);
                    }
                } else {
                    synchronized (lock) {
                        capacity.computeIfAbsent(load, k -> new LinkedHashMap<>())
                                .put(rt, e);
                    }
                }
                if (e != null && e > 0) {
                    estimates.add(e);
                }
            }
            if (estimates.isEmpty()) {
                synchronized (lock) {
                    if (!interrupted) {
                        failures.add(load + ": no runtime has a capacity estimate, so the load has no ladder");
                    }
                    ladders.put(load, null);
                }
                return null;
            }
            ladder = RateLadder.spanning(
                    java.util.Collections.min(estimates),
                    java.util.Collections.max(estimates),
                    profile.ladderPoints(),
                    profile.maxRungs());
        }
        synchronized (lock) {
            ladders.put(load, ladder);
        }
        progress.ladder(load, ladder);
        out.printf(Locale.ROOT, "%n[%s] ladder: %s; p99 objective %s ms%n", load, ladder, NumberText.plain(slo(load)));
        return ladder;
    }

    /** The latency objective of a load: --slo-p99-ms, or the load's own. */
    private double slo(String load) {
        return profile.sloP99Ms() != null
                ? profile.sloP99Ms()
                : Loads.named(load).sloP99Millis();
    }

    /** A short fork that only estimates the runtime's capacity for the load (its Capacity event). */
    private void runEstimate(BenchProgress.Fork f) {
        out.printf(Locale.ROOT, "%n[%s] closed-loop capacity estimate, for the ladder%n", f.name());
        List<String> args = new ArrayList<>(common(f));
        args.add("--estimate-only");
        int exit = runJvm(f, args, progress.plannedEstimate() * 2 + 60);
        synchronized (lock) {
            if (!interrupted
                    && (exit != 0 || !capacity.getOrDefault(f.load(), Map.of()).containsKey(f.runtime()))) {
                failures.add(f.name() + ": the capacity estimate failed (exit status " + exit + ")");
            }
        }
    }

    /** The arguments every fork of this load and runtime takes. */
    private List<String> common(BenchProgress.Fork f) {
        List<String> args = new ArrayList<>(List.of(
                "points",
                "--out",
                dir.toString(),
                "--load",
                f.load(),
                "--runtime",
                f.runtime(),
                "--estimate-step",
                NumberText.plain(profile.estimateStep()),
                "--layout",
                layout,
                "--arrival",
                arrival,
                "--backend",
                backend.forkArgument(),
                "--backend-connections",
                Integer.toString(backend.connectionsPerLoop)));
        if (backend.pid() > 0) {
            args.addAll(List.of("--backend-pid", Long.toString(backend.pid())));
        }
        return args;
    }

    /** Runs one forked JVM to its end; its exit status, or -1 when it could not start or was interrupted. */
    private int runJvm(BenchProgress.Fork f, List<String> args, double budget) {
        long t0 = System.nanoTime();
        try {
            ForkedJvm proc;
            synchronized (lock) {
                if (interrupted) {
                    return -1;
                }
                proc = ForkedJvm.start(
                        placement.pin(
                                placement.measuredCpus(),
                                ForkedJvm.command(jvm.java(), jvm.args(), home, jar, RUNNER, args)),
                        home,
                        line -> onLine(f, line, t0),
                        line -> err.println("    " + line),
                        Duration.ofSeconds((long) budget),
                        false);
                child = proc;
            }
            return proc.waitFor();
        } catch (IOException e) {
            err.println("bench: " + f.name() + ": cannot start the JVM: " + e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            synchronized (lock) {
                child = null;
            }
        }
    }

    private void runFork(BenchProgress.Fork f, int index, RateLadder ladder) {
        List<String> args = new ArrayList<>(common(f));
        args.addAll(List.of(
                "--seconds",
                NumberText.plain(profile.seconds()),
                "--warmup",
                NumberText.plain(profile.warmup()),
                "--drain",
                NumberText.plain(profile.drain())));
        if (ladder != null) {
            args.addAll(List.of(
                    "--rates",
                    String.join(
                            ",", ladder.rates().stream().map(NumberText::plain).toList()),
                    "--slo-p99-ms",
                    NumberText.plain(slo(f.load()))));
            // A ladder cut from the estimates may end below a runtime's real saturation; one the user gave is climbed
            // as given.
            if (profile.rates() == null) args.addAll(List.of("--extra-rungs", String.valueOf(EXTRA_RUNGS)));
        } else {
            args.addAll(List.of(
                    "--fractions",
                    String.join(
                            ",",
                            profile.fractions().stream().map(NumberText::plain).toList())));
        }
        Double reused = reuse.getOrDefault(f.load(), Map.of()).get(f.runtime());
        Double estimated;
        synchronized (lock) {
            estimated = capacity.getOrDefault(f.load(), Map.of()).get(f.runtime());
        }
        if (reused != null || estimated != null) { // the ladder's estimate: the fork need not search again
            args.addAll(List.of("--capacity", NumberText.plain(reused != null ? reused : estimated)));
        }
        if (!jfr) {
            args.add("--no-jfr");
        }
        out.printf(
                Locale.ROOT,
                "%n[%s] JVM %d of %d%s%n",
                f.name(),
                index + 1,
                forks.size(),
                reused != null
                        ? String.format(Locale.ROOT, " (capacity %,.0f req/s from --capacity-from)", reused)
                        : "");
        double budget = progress.planned(f) * 2 + 60;
        Deque<String> lastErr = new ArrayDeque<>();
        int pointsBefore = progress.pointsDone;
        long t0 = System.nanoTime();
        int exit;
        ForkedJvm proc;
        try {
            synchronized (lock) {
                if (interrupted) {
                    return;
                }
                proc = ForkedJvm.start(
                        placement.pin(
                                placement.measuredCpus(),
                                ForkedJvm.command(jvm.java(), jvm.args(), home, jar, RUNNER, args)),
                        home,
                        line -> onLine(f, line, t0),
                        line -> {
                            err.println("    " + line);
                            synchronized (lastErr) {
                                lastErr.addLast(line);
                                if (lastErr.size() > 20) {
                                    lastErr.removeFirst();
                                }
                            }
                        },
                        Duration.ofSeconds((long) budget),
                        false);
                child = proc;
            }
            exit = proc.waitFor();
        } catch (IOException e) {
            failures.add(f.name() + ": cannot start the JVM: " + e.getMessage());
            err.println("bench: " + f.name() + ": cannot start the JVM: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(f.name() + ": interrupted");
            return;
        } finally {
            synchronized (lock) {
                child = null;
            }
            progress.forkEnded(f, index);
        }
        synchronized (lock) {
            if (interrupted) {
                return;
            }
        }
        if (proc.timedOut()) {
            lastErr.addLast(
                    "timed out after " + (long) budget + " s (planned " + (long) progress.planned(f) + " s); killed");
        }
        int missing = ladder != null
                ? (climbed.contains(f.name()) ? 0 : Math.max(1, ladder.size() - (progress.pointsDone - pointsBefore)))
                : profile.fractions().size() - (progress.pointsDone - pointsBefore);
        if (exit != 0 || missing > 0) {
            String why;
            synchronized (lastErr) {
                why = lastErr.stream()
                        .filter(s -> !s.isBlank() && !s.startsWith("\tat "))
                        .reduce((a, b) -> b)
                        .orElse("no message");
            }
            String reason = String.format(
                    Locale.ROOT,
                    "%s: %s (%s of %d points missing)",
                    f.name(),
                    exit == 0 ? "points failed" : "JVM exit status " + exit + ": " + why,
                    ladder != null && !climbed.contains(f.name()) ? "up to " + missing : String.valueOf(missing),
                    profile.pointsPerFork(ladder));
            synchronized (lock) {
                failures.add(reason);
            }
            err.println("bench: " + reason);
        }
    }

    /** The fork's stdout: its {@link ForkEvent} lines drive the progress display; the rest is shown as it is. */
    private void onLine(BenchProgress.Fork f, String line, long forkStart) {
        switch (ForkEvent.parse(line)) {
            case ForkEvent.Capacity c -> {
                synchronized (lock) {
                    capacity.computeIfAbsent(c.load(), k -> new LinkedHashMap<>())
                            .put(c.runtime(), c.value());
                }
            }
            case ForkEvent.Start s -> {
                maxRate = Math.max(maxRate, s.rate());
                synchronized (lock) {
                    current = f.name() + " at "
                            + (s.fraction() != null
                                    ? s.fraction() + " of capacity"
                                    : NumberText.rate(s.rate()) + " req/s");
                }
                progress.started(s);
            }
            case ForkEvent.Climbed c -> {
                synchronized (lock) {
                    climbed.add(f.name());
                }
                progress.climbed(c);
                out.printf(
                        Locale.ROOT,
                        "    %s: %s%s after %s; capacity within p99 %s ms: %s%n",
                        f.name(),
                        c.saturation() != null ? "saturated at " + NumberText.rate(c.saturation()) + " req/s, " : "",
                        c.stop(),
                        c.points() <= c.rungs()
                                ? c.points() + " of " + c.rungs() + " rates"
                                : c.rungs() + " rates and " + (c.points() - c.rungs()) + " past the top",
                        NumberText.plain(slo(f.load())),
                        c.sloCapacity() != null ? NumberText.rate(c.sloCapacity()) + " req/s" : "none");
            }
            case ForkEvent.Done d -> progress.done(f, d, forkStart);
            case ForkEvent.Fail x -> {
                String reason = f.name() + " at " + x.fraction() + (profile.ladder() ? " req/s" : " of capacity")
                        + " failed: "
                        + x.message().replace('\n', ' ');
                synchronized (lock) {
                    failures.add(reason);
                }
                err.println("bench: " + reason);
            }
            case null -> out.println(line);
        }
    }

    private void runHarnessCheck() {
        out.printf(
                Locale.ROOT,
                "%n[harness] its own cost, and its schedule at %,.0f req/s (the highest rate used)%n",
                maxRate);
        List<String> args =
                List.of("harness", "--out", dir.toString(), "--rate", NumberText.plain(maxRate), "--seconds", "2");
        try {
            ForkedJvm proc;
            synchronized (lock) {
                if (interrupted) {
                    return;
                }
                proc = ForkedJvm.start(
                        ForkedJvm.command(jvm.java(), jvm.args(), home, jar, RUNNER, args),
                        home,
                        out::println,
                        null,
                        Duration.ofSeconds(60),
                        false);
                child = proc;
            }
            int exit = proc.waitFor();
            if (exit != 0) {
                err.println("bench: the harness self-check failed (exit status " + exit + "); results are unaffected");
            }
            Path h = dir.resolve("harness.json");
            if (Files.exists(h)) {
                harness = RunFiles.JSON.readTree(h.toFile());
            }
        } catch (IOException | RuntimeException e) {
            err.println("bench: the harness self-check failed: " + e.getMessage() + "; results are unaffected");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (lock) {
                child = null;
            }
        }
    }

    /** SIGINT/SIGTERM: keep what is finished, say why the run is partial, stop the fork. */
    private void onSignal() {
        synchronized (lock) {
            if (finished) {
                return;
            }
            interrupted = true;
            failures.add("interrupted during " + current);
            if (child != null) {
                child.kill();
            }
            backend.kill();
            try {
                RunAssembly.assemble(dir, err);
                writeRunInfo();
                err.println("\nbench: interrupted during " + current + "; the finished points are kept in " + dir
                        + " (./loopbench report " + dir + ")");
            } catch (IOException | RuntimeException e) {
                err.println("\nbench: interrupted; could not write run.json: " + e);
            }
        }
    }

    /** Each load's ladder so far, for run.json. */
    private Map<String, List<Double>> ladderRates() {
        Map<String, List<Double>> m = new LinkedHashMap<>();
        ladders.forEach((l, ladder) -> {
            if (ladder != null) {
                m.put(l, ladder.rates());
            }
        });
        return m;
    }

    private Map<String, Double> sloByLoad() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (profile.ladder()) {
            loads.forEach(l -> m.put(l, slo(l)));
        }
        return m;
    }

    private void writeRunInfo() throws IOException {
        synchronized (lock) {
            RunAssembly.writeRunInfo(
                    dir,
                    home,
                    new RunAssembly.Settings(
                            profile.name(),
                            started,
                            finished ? Instant.now() : null,
                            List.copyOf(failures),
                            loads,
                            runtimes,
                            profile.fractions(),
                            ladderRates(),
                            sloByLoad(),
                            profile.seconds(),
                            profile.warmup(),
                            layout,
                            arrival,
                            placement.toJson(),
                            jfr,
                            micro,
                            backend.toJson(),
                            jvm,
                            !reuse.isEmpty(),
                            capacity,
                            harness));
        }
    }
}
