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
import loopbench.report.NumberText;
import loopbench.schema.ForkEvent;
import loopbench.schema.RunFiles;

/**
 * One bench run: a forked JVM per load and runtime ({@code loopbench.bench.load.LoadRunner}), then
 * the harness self-check; results.json is re-assembled after each fork, run.json says whether the
 * run is complete. A failed or timed-out fork, or an interrupt, leaves the other results intact and
 * marks run.json partial with the reason.
 *
 * <p>Guarded by {@code lock}: {@code current}, {@code child}, {@code finished}, {@code interrupted},
 * {@code capacity} and {@code failures}, which the signal handler reads and writes too.
 */
final class BenchRun {
    private static final String RUNNER = "loopbench.bench.load.LoadRunner";

    private final BenchOptions.Profile profile;
    private final Path dir;
    private final Path jar;
    private final Path home;
    private final List<String> loads;
    private final List<String> runtimes;
    private final String layout;
    private final boolean jfr;
    private final Map<String, Map<String, Double>> reuse;
    private final DelayBackendProcess backend;
    private final PrintStream out;
    private final PrintStream err;
    private final List<BenchProgress.Fork> forks = new ArrayList<>();
    private final BenchProgress progress;
    private final List<String> jvmOptions =
            ForkedJvm.options("LOOPBENCH_BENCH_JAVA_OPTS", List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"));
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Object lock = new Object();
    private final Map<String, Map<String, Double>> capacity = new LinkedHashMap<>();
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
            boolean jfr,
            Map<String, Map<String, Double>> reuse,
            DelayBackendProcess backend,
            PrintStream out,
            PrintStream err) {
        this.profile = profile;
        this.dir = dir;
        this.jar = jar;
        this.home = home;
        this.loads = loads;
        this.runtimes = runtimes;
        this.layout = layout;
        this.jfr = jfr;
        this.reuse = reuse;
        this.backend = backend;
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
        out.println("Run directory: " + dir);
        Thread hook = new Thread(this::onSignal, "loopbench-bench-interrupt");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            if (backend.startsOwn()) {
                backend.start(jar, home, err);
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
                runFork(f, i);
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

    private void runFork(BenchProgress.Fork f, int index) {
        List<String> args = new ArrayList<>(List.of(
                "points",
                "--out",
                dir.toString(),
                "--load",
                f.load(),
                "--runtime",
                f.runtime(),
                "--fractions",
                String.join(
                        ",", profile.fractions().stream().map(NumberText::plain).toList()),
                "--seconds",
                NumberText.plain(profile.seconds()),
                "--warmup",
                NumberText.plain(profile.warmup()),
                "--estimate-step",
                NumberText.plain(profile.estimateStep()),
                "--drain",
                NumberText.plain(profile.drain()),
                "--layout",
                layout,
                "--backend",
                backend.forkArgument(),
                "--backend-connections",
                Integer.toString(backend.connectionsPerLoop)));
        Double reused = reuse.getOrDefault(f.load(), Map.of()).get(f.runtime());
        if (reused != null) {
            args.addAll(List.of("--capacity", NumberText.plain(reused)));
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
                        ForkedJvm.command(jvmOptions, home, jar, RUNNER, args),
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
        int missing = profile.fractions().size() - (progress.pointsDone - pointsBefore);
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
                    "%s: %s (%d of %d points missing)",
                    f.name(),
                    exit == 0 ? "points failed" : "JVM exit status " + exit + ": " + why,
                    missing,
                    profile.fractions().size());
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
                    current = f.name() + " at " + s.fraction() + " of capacity";
                }
                progress.started(s);
            }
            case ForkEvent.Done d -> progress.done(f, d, forkStart);
            case ForkEvent.Fail x -> {
                String reason = f.name() + " at " + x.fraction() + " of capacity failed: "
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
                        ForkedJvm.command(jvmOptions, home, jar, RUNNER, args),
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
                            profile.seconds(),
                            profile.warmup(),
                            layout,
                            jfr,
                            backend.toJson(),
                            jvmOptions,
                            !reuse.isEmpty(),
                            capacity,
                            harness));
        }
    }
}
