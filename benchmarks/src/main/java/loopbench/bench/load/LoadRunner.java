package loopbench.bench.load;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import loopbench.bench.backend.BackendConfig;
import loopbench.bench.backend.DelayBackend;
import loopbench.bench.ladder.Climb;
import loopbench.bench.ladder.PointOutcome;
import loopbench.bench.ladder.RateLadder;
import loopbench.bench.ladder.SaturationRule;
import loopbench.schema.ForkEvent;
import loopbench.schema.RunFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The load harness's command line, run by {@code ./loopbench bench} in a forked JVM (one per load
 * and runtime, so runtimes never share a heap, a JIT profile or leftover threads):
 *
 * <pre>
 * LoadRunner points --out RUN_DIR --load L --runtime R [--fractions 0.5,0.9 | --rates R1,R2,... [--slo-p99-ms MS]]
 *                   [--seconds 5] [--capacity N] [--estimate-only]
 *                   [--warmup S] [--estimate-step S] [--layout per-core|single|per-request] [--loops N]
 *                   [--pool-threads N] [--arrival poisson|constant] [--seed N] [--limit N] [--spin-us N|auto]
 *                   [--late-us N] [--drain S] [--no-jfr]
 *                   [--backend simulated|tcp|HOST:PORT] [--backend-threads N] [--backend-connections N]
 * LoadRunner harness --out RUN_DIR --rate R [--seconds S]     the harness's own cost -> RUN_DIR/harness.json
 * LoadRunner assemble --out RUN_DIR                           points/*.json -> results.json, jfr-summary.json
 * LoadRunner validate [--seconds S]                           the harness against M/G/1 ({@link Validation})
 * </pre>
 *
 * Without {@code --capacity} the capacity is estimated first ({@link CapacityEstimator}). Then a
 * discarded warm-up point ({@code --warmup} seconds, default 1.5) at the first fraction, then one open-loop
 * point per fraction, each rate = fraction x capacity. With {@code --rates} instead, the runtime climbs
 * that ladder ({@link Climb}) from the bottom until it saturates, each point at least long enough for
 * its percentiles ({@link LadderEntry#seconds}), and its outcome is one more results.json entry
 * ({@link LadderEntry}). {@code --estimate-only} prints the capacity estimate and stops. Progress for the parent goes to standard
 * output as {@link ForkEvent} JSON lines among the text for the user. Exit status 0, or 3 if
 * any point failed, 2 on bad usage.
 *
 * <p>{@code --backend} (default simulated) says where the requests' backend calls go
 * ({@link BackendConfig}). With {@code tcp} this JVM starts a {@link DelayBackend} on an ephemeral
 * loopback port, on {@code --backend-threads} selector threads of its own (default 1), for the whole
 * command (capacity estimate, warm-up, points) and stops it at the end; its CPU time then counts in
 * the points' {@code cpu.ms}. {@code ./loopbench bench} instead runs one backend JVM for the whole run
 * and passes its {@code HOST:PORT}. Each loop opens {@code --backend-connections} connections (default
 * {@value BackendConfig#DEFAULT_CONNECTIONS_PER_LOOP}). A load without backend calls ignores the option.
 */
@Command(
        name = "LoadRunner",
        mixinStandardHelpOptions = true,
        description = "The load harness in a JVM of its own (see the class comment).")
public final class LoadRunner implements Runnable {
    @Spec
    CommandSpec spec;

    private LoadRunner() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new LoadRunner());
        cl.addSubcommand(new Points(out, err)).addSubcommand(new Harness(out)).addSubcommand(new Assemble(out, err));
        cl.addSubcommand(new Validation.Command(out));
        cl.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) { // a load, runtime, layout or backend that does not exist
                err.println("LoadRunner " + cmd.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            err.println("LoadRunner: " + e);
            e.printStackTrace(err);
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: points, harness, assemble or validate");
    }

    /** {@code --spin-us N}, or {@code auto}: enough to absorb this machine's parkNanos overshoot. */
    static final class SpinNanos implements ITypeConverter<Long> {
        @Override
        public Long convert(String v) {
            return v.equals("auto") ? NanoClock.autoSpinNanos() : (long) (Double.parseDouble(v) * 1000);
        }
    }

    /** One load on one runtime: the capacity, a warm-up, then a point per fraction. */
    @Command(name = "points", mixinStandardHelpOptions = true)
    static final class Points implements Callable<Integer> {
        @Option(names = "--out", required = true)
        Path dir;

        @Option(names = "--load", required = true)
        String load;

        @Option(names = "--runtime", required = true)
        String runtime;

        @Option(names = "--fractions", split = ",")
        List<Double> fractions = List.of(0.5, 0.9);

        @Option(names = "--rates", split = ",", description = "climb this ladder (req/s) instead of --fractions")
        List<Double> rates;

        @Option(
                names = "--extra-rungs",
                description =
                        "grid rates the climb may go past the ladder's top while the runtime keeps up (default 0)")
        int extraRungs;

        @Option(names = "--slo-p99-ms", description = "the ladder's latency objective (default: the load's)")
        Double sloP99Ms;

        @Option(names = "--estimate-only", description = "print the capacity estimate and stop")
        boolean estimateOnly;

        @Option(names = "--seconds")
        double seconds = 5;

        @Option(names = "--capacity", description = "skip the estimate: this capacity, in requests per second")
        Double capacity;

        @Option(names = "--warmup")
        double warmup = 1.5;

        @Option(names = "--estimate-step")
        double estimateStep = 0.3;

        @Option(names = "--layout")
        String layout = "per-core";

        @Option(names = "--loops")
        int loops = Runtime.getRuntime().availableProcessors();

        @Option(names = "--pool-threads")
        int poolThreads;

        @Option(names = "--arrival")
        String arrival = "poisson";

        @Option(names = "--seed")
        long seed = 42;

        @Option(names = "--limit")
        int limit = 10_000;

        @Option(names = "--spin-us", converter = SpinNanos.class)
        long spin = -1;

        @Option(names = "--late-us")
        double lateMicros = 1000;

        @Option(names = "--drain")
        Double drain;

        @Option(names = "--no-jfr")
        boolean noJfr;

        @Option(names = "--backend")
        String backend = BackendConfig.SIMULATED_MODE;

        @Option(names = "--backend-threads")
        int backendThreads = 1;

        @Option(names = "--backend-connections")
        int backendConnections = BackendConfig.DEFAULT_CONNECTIONS_PER_LOOP;

        @Option(
                names = "--backend-pid",
                description = "the delay backend's process: its CPU time is recorded per point")
        long backendPid;

        @Spec
        CommandSpec spec;

        private final PrintStream out;
        private final PrintStream err;

        Points(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() throws Exception {
            LoadSpec spec = Loads.named(load);
            loopbench.core.EventLoops.provider(runtime); // fails early on an unknown runtime
            Layout layout = Layout.parse(this.layout);
            long spin = this.spin >= 0 ? this.spin : NanoClock.autoSpinNanos();
            long late = (long) (lateMicros * 1000);
            double drain = this.drain != null ? this.drain : Math.min(10, Math.max(2, seconds));
            if (backendThreads < 1 || backendThreads > 64) {
                throw new ParameterException(
                        this.spec.commandLine(), "--backend-threads must be 1..64, was " + backendThreads);
            }
            BackendConfig backend =
                    BackendConfig.parse(this.backend, backendConnections).forCalls(spec.backendCalls());
            if (layout == Layout.PER_REQUEST && backend.isTcp()) {
                throw new ParameterException(
                        this.spec.commandLine(),
                        "--backend tcp needs long-lived loops (--layout per-core or "
                                + "single): in the per-request layout every request's fresh loop would open connections of its own");
            }
            Files.createDirectories(dir);
            try (DelayBackend started = backend.needsBackendStarted()
                    ? new DelayBackend(0, backendThreads, DelayBackend.DEFAULT_MAX_RESPONSE_BYTES, 16_384)
                    : null) {
                if (started != null) backend = backend.at(started.port());
                out.printf(
                        Locale.ROOT,
                        "  %s on %s, layout %s (%d loop%s); busy work %.0f iterations/us; generator spins the last %d us%n",
                        spec.describe(),
                        runtime,
                        layout,
                        layout == Layout.PER_CORE ? loops : 1,
                        layout == Layout.PER_CORE && loops > 1 ? "s" : "",
                        BusyWork.iterationsPerMicro(),
                        spin / 1000);
                out.printf(
                        Locale.ROOT,
                        "  backend calls: %s%s%n",
                        backend.describe(),
                        started == null
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        " (started in this JVM, %d selector thread%s)",
                                        backendThreads,
                                        backendThreads == 1 ? "" : "s"));
                return points(
                        dir,
                        spec,
                        runtime,
                        fractions,
                        seconds,
                        layout,
                        loops,
                        poolThreads,
                        arrival,
                        seed,
                        limit,
                        spin,
                        late,
                        drain,
                        !noJfr,
                        backend,
                        this,
                        out,
                        err);
            }
        }
    }

    /** The harness's own cost at one rate: RUN_DIR/harness.json. */
    @Command(name = "harness", mixinStandardHelpOptions = true)
    static final class Harness implements Callable<Integer> {
        @Option(names = "--out", required = true)
        Path dir;

        @Option(names = "--rate", required = true)
        double rate;

        @Option(names = "--seconds")
        double seconds = 2;

        @Option(names = "--spin-us", converter = SpinNanos.class)
        long spin = -1;

        @Option(names = "--late-us")
        double lateMicros = 1000;

        private final PrintStream out;

        Harness(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() throws Exception {
            return harness(
                    dir, rate, seconds, spin >= 0 ? spin : NanoClock.autoSpinNanos(), (long) (lateMicros * 1000), out);
        }
    }

    /** points/*.json into results.json and jfr-summary.json. */
    @Command(name = "assemble", mixinStandardHelpOptions = true)
    static final class Assemble implements Callable<Integer> {
        @Option(names = "--out", required = true)
        Path dir;

        private final PrintStream out;
        private final PrintStream err;

        Assemble(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() throws Exception {
            int n = RunFiles.assemble(dir, err::println);
            out.println("assembled " + n + " points");
            return 0;
        }
    }

    private static int points(
            Path dir,
            LoadSpec spec,
            String runtime,
            List<Double> fractions,
            double seconds,
            Layout layout,
            int loops,
            int poolThreads,
            String arrival,
            long seed,
            int limit,
            long spin,
            long late,
            double drain,
            boolean jfr,
            BackendConfig backend,
            Points o,
            PrintStream out,
            PrintStream err)
            throws Exception {

        double capacity;
        if (o.capacity != null) {
            capacity = o.capacity;
        } else {
            long t0 = System.nanoTime();
            CapacityEstimator.Estimate e = CapacityEstimator.estimate(
                    runtime, spec, layout, loops, poolThreads, o.estimateStep, limit, seed, backend);
            capacity = CapacityEstimator.round3(e.capacity());
            out.printf(
                    Locale.ROOT,
                    "  capacity ~%,.0f req/s (closed loop, best at %d in flight; %.1f s: %s)%n",
                    capacity,
                    e.concurrency(),
                    (System.nanoTime() - t0) / 1e9,
                    String.join(", ", e.steps()));
        }
        if (!(capacity > 0))
            throw new IllegalStateException("capacity estimate is " + capacity + ": nothing completed");
        out.println(new ForkEvent.Capacity(spec.name(), runtime, Math.round(capacity)).toLine());
        out.flush();
        if (o.estimateOnly) return 0;
        Climb climb = o.rates == null
                ? null
                : new Climb(
                        RateLadder.of(o.rates),
                        new SaturationRule(o.sloP99Ms != null ? o.sloP99Ms : spec.sloP99Millis()),
                        o.extraRungs);

        double warm = o.warmup;
        if (warm > 0)
            warmUp(
                    runtime,
                    spec,
                    layout,
                    loops,
                    poolThreads,
                    climb != null ? warmUpRate(climb.ladder(), capacity) : capacity * fractions.get(0),
                    arrival,
                    seed,
                    limit,
                    spin,
                    late,
                    warm,
                    jfr,
                    backend,
                    out);

        int failed = 0;
        for (int i = 0; climb != null ? !climb.done() : i < fractions.size(); i++) {
            double f = climb != null ? Double.NaN : fractions.get(i);
            double rate = climb != null ? climb.next() : Math.max(1, Math.round(capacity * f));
            String step = climb != null ? null : PointResult.fractionParam(f);
            LoadRun.Config c = LoadRun.Config.of(
                            runtime,
                            spec,
                            rate,
                            f,
                            capacity,
                            climb != null ? LadderEntry.seconds(rate, seconds) : seconds)
                    .withLayout(layout)
                    .withLoops(loops, poolThreads)
                    .withArrival(arrival, seed)
                    .withLimits(limit, spin, late, drain)
                    .withOutput(dir, jfr, 1.0)
                    .withBackend(backend)
                    .withBackendPid(o.backendPid);
            out.println(new ForkEvent.Start(c.stem(), step, rate).toLine());
            out.flush();
            System.gc(); // start each point with a clean heap; outside the measurement
            long t0 = System.nanoTime();
            try {
                PointResult r = LoadRun.run(c);
                RunFiles.assemble(dir, err::println);
                out.println("    " + r.summary());
                out.println(new ForkEvent.Done(r.stem(), Math.round((System.nanoTime() - t0) / 1e7) / 100.0).toLine());
                if (climb != null) climb.record(LadderEntry.outcome(r));
            } catch (Exception | Error e) {
                failed++;
                e.printStackTrace(err);
                out.println(new ForkEvent.Fail(
                                spec.name(),
                                runtime,
                                step != null ? step : PointResult.rateParam(rate),
                                String.valueOf(e))
                        .toLine());
                if (climb != null) climb.record(PointOutcome.failed(rate));
            }
            out.flush();
        }
        if (climb != null) {
            BackendConfig used = backend.forCalls(spec.backendCalls());
            RunFiles.writePoint(
                    dir,
                    spec.name() + "_" + runtime + "_" + RunFiles.CAPACITY_STEM,
                    LadderEntry.toJmh(spec, runtime, layout, arrival, used.mode(), climb, capacity),
                    null);
            RunFiles.assemble(dir, err::println);
            out.println(new ForkEvent.Climbed(
                            spec.name(),
                            runtime,
                            climb.points().size(),
                            climb.ladder().size(),
                            climb.saturation().isPresent() ? climb.saturation().getAsDouble() : null,
                            climb.stop(),
                            climb.sloCapacity().isPresent()
                                    ? climb.sloCapacity().getAsDouble()
                                    : null)
                    .toLine());
            out.flush();
        }
        return failed == 0 ? 0 : 3;
    }

    /**
     * A ladder's warm-up rate: its highest rung at most half the estimate, which every runtime keeps up
     * with (a warm-up past saturation would leave a backlog to the first point), else its lowest rung.
     */
    static double warmUpRate(RateLadder ladder, double capacity) {
        double rate = ladder.rate(0);
        for (double r : ladder.rates()) if (r <= capacity / 2) rate = r;
        return rate;
    }

    /**
     * A discarded point through exactly the code a measured point runs (files and flight recording
     * included, into a temporary directory): on two cores the JIT compiles for seconds, and the first
     * point after a capacity estimate alone still paid for it in its tail.
     */
    private static void warmUp(
            String runtime,
            LoadSpec spec,
            Layout layout,
            int loops,
            int poolThreads,
            double rate,
            String arrival,
            long seed,
            int limit,
            long spin,
            long late,
            double seconds,
            boolean jfr,
            BackendConfig backend,
            PrintStream out)
            throws Exception {
        Path tmp = Files.createTempDirectory("loopbench-warmup-");
        try {
            LoadRun.Config w = LoadRun.Config.of(runtime, spec, Math.max(1, Math.round(rate)), 0, rate, seconds)
                    .withLayout(layout)
                    .withLoops(loops, poolThreads)
                    .withArrival(arrival, seed + 1)
                    .withLimits(limit, spin, late, 2)
                    .withOutput(tmp, jfr, 1.0)
                    .withBackend(backend);
            PointResult r = LoadRun.run(w);
            out.printf(
                    Locale.ROOT,
                    "  warmed up for %.1f s at %,.0f/s (p99 %s, discarded)%n",
                    seconds,
                    rate,
                    PointResult.us(r.figure("latency.p99")));
        } finally {
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }

    private static int harness(Path dir, double rate, double seconds, long spin, long late, PrintStream out)
            throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", 1);
        m.putAll(HarnessCost.measure(rate, seconds, spin, late));
        RunFiles.write(dir.resolve("harness.json"), m);
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) m.get("schedule");
        out.printf(
                Locale.ROOT,
                "  harness cost: %.1f ns per request (target < 100 ns), no-op adds p50 %.0f ns / p99 %.0f ns%n",
                m.get("perRequestNanos"),
                m.get("noopAddedLatencyP50Nanos"),
                m.get("noopAddedLatencyP99Nanos"));
        out.printf(
                Locale.ROOT,
                "  generator alone at %,d req/s for %.0f s: %d late starts of %,d; start delay p99 %.1f us, "
                        + "max %.1f us; generator CPU %.0f%% of a core%n",
                s.get("rate"),
                seconds,
                s.get("lateStarts"),
                s.get("issued"),
                s.get("startDelayP99Us"),
                s.get("startDelayMaxUs"),
                100 * (Double) s.get("generatorCpuShare"));
        return 0;
    }
}
