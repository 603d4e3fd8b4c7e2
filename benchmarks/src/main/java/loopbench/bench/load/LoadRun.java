package loopbench.bench.load;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import jdk.jfr.Recording;
import loopbench.bench.backend.BackendConfig;
import loopbench.core.io.AtomicFile;
import loopbench.schema.JfrSummary;
import loopbench.schema.RunFiles;
import org.HdrHistogram.Histogram;

/**
 * One load-test point: a runtime under one load at one offered rate. Starts the loops, records a
 * flight recording, runs the open-loop generator for the configured time, waits for the requests
 * still in flight (bounded), and gathers the figures: latency corrected and uncorrected, achieved
 * throughput, late starts, loop lag, process CPU, GC time, peak threads. With an output directory it
 * writes the point's files: {@code hlog/<stem>.hlog}, {@code hlog/<stem>.uncorrected.hlog},
 * {@code lag/<stem>.csv}, {@code jfr/<stem>.jfr}, and {@code points/<stem>.result.json} (its
 * results.json entry) and {@code points/<stem>.jfr.json} (its JFR summary), which
 * {@link RunFiles#assemble} gathers into results.json and jfr-summary.json.
 */
public final class LoadRun {
    private LoadRun() {}

    /**
     * @param loops          loops in the per-core layout (default: available processors)
     * @param poolThreads    threadpool runtime: pool threads (0: the runtime's default)
     * @param seconds        how long requests are issued
     * @param arrival        {@code poisson} or {@code constant}
     * @param inFlightLimit  the most requests in flight; the generator waits at the limit
     * @param spinNanos      the generator spins this long before an intended start instead of parking
     * @param lateNanos      a request submitted later than this after its intended start is a late start
     * @param drainSeconds   how long to wait for requests still in flight after the schedule ended
     * @param lagIntervalMs  the lag probe's period
     * @param lagSpikeNanos  lag at or above this is also a JFR loopbench.LoopLag event
     * @param outDir         RUN_DIR, or null to write nothing
     * @param backend        where backend calls go: simulated, or a running delay backend (tcp)
     * @param backendPid     the delay backend's process, whose CPU time each point records; 0 when unknown
     */
    public record Config(
            String runtime,
            LoadSpec spec,
            Layout layout,
            int loops,
            int poolThreads,
            double rate,
            double fraction,
            double capacity,
            double seconds,
            String arrival,
            long seed,
            int inFlightLimit,
            long spinNanos,
            long lateNanos,
            double drainSeconds,
            int lagIntervalMs,
            long lagSpikeNanos,
            double hlogIntervalSeconds,
            Path outDir,
            boolean jfr,
            BackendConfig backend,
            long backendPid) {

        /** The defaults for a point: Poisson arrivals, 10,000 in flight, 50 us spin, 1 ms late, 10 ms lag probe. */
        public static Config of(
                String runtime, LoadSpec spec, double rate, double fraction, double capacity, double seconds) {
            return new Config(
                    runtime,
                    spec,
                    Layout.PER_CORE,
                    Runtime.getRuntime().availableProcessors(),
                    0,
                    rate,
                    fraction,
                    capacity,
                    seconds,
                    "poisson",
                    42,
                    10_000,
                    50_000,
                    1_000_000,
                    Math.min(10, Math.max(2, seconds)),
                    10,
                    1_000_000,
                    1.0,
                    null,
                    false,
                    BackendConfig.SIMULATED,
                    0);
        }

        public Config withLayout(Layout l) {
            return with(f -> f.layout = l);
        }

        public Config withLoops(int n, int pool) {
            return with(f -> {
                f.loops = n;
                f.poolThreads = pool;
            });
        }

        public Config withArrival(String a, long s) {
            return with(f -> {
                f.arrival = a;
                f.seed = s;
            });
        }

        public Config withLimits(int inFlight, long spin, long late, double drain) {
            return with(f -> {
                f.inFlightLimit = inFlight;
                f.spinNanos = spin;
                f.lateNanos = late;
                f.drainSeconds = drain;
            });
        }

        public Config withOutput(Path dir, boolean recordJfr, double hlogInterval) {
            return with(f -> {
                f.outDir = dir;
                f.jfr = recordJfr;
                f.hlogIntervalSeconds = hlogInterval;
            });
        }

        /** Backend calls go to {@code b} (see {@link BackendConfig}; a tcp backend must be running). */
        public Config withBackend(BackendConfig b) {
            return with(f -> f.backend = b);
        }

        /** The delay backend runs in process {@code pid} (its CPU time is recorded per point). */
        public Config withBackendPid(long pid) {
            return with(f -> f.backendPid = pid);
        }

        /** This config with the fields {@code change} sets: what every wither above does. */
        private Config with(Consumer<Fields> change) {
            Fields f = new Fields(this);
            change.accept(f);
            return f.toConfig();
        }

        /** A config's fields, to change a few of them before making the new config. */
        private static final class Fields {
            String runtime;
            LoadSpec spec;
            Layout layout;
            int loops;
            int poolThreads;
            double rate;
            double fraction;
            double capacity;
            double seconds;
            String arrival;
            long seed;
            int inFlightLimit;
            long spinNanos;
            long lateNanos;
            double drainSeconds;
            int lagIntervalMs;
            long lagSpikeNanos;
            double hlogIntervalSeconds;
            Path outDir;
            boolean jfr;
            BackendConfig backend;
            long backendPid;

            Fields(Config c) {
                runtime = c.runtime;
                spec = c.spec;
                layout = c.layout;
                loops = c.loops;
                poolThreads = c.poolThreads;
                rate = c.rate;
                fraction = c.fraction;
                capacity = c.capacity;
                seconds = c.seconds;
                arrival = c.arrival;
                seed = c.seed;
                inFlightLimit = c.inFlightLimit;
                spinNanos = c.spinNanos;
                lateNanos = c.lateNanos;
                drainSeconds = c.drainSeconds;
                lagIntervalMs = c.lagIntervalMs;
                lagSpikeNanos = c.lagSpikeNanos;
                hlogIntervalSeconds = c.hlogIntervalSeconds;
                outDir = c.outDir;
                jfr = c.jfr;
                backend = c.backend;
                backendPid = c.backendPid;
            }

            Config toConfig() {
                return new Config(
                        runtime,
                        spec,
                        layout,
                        loops,
                        poolThreads,
                        rate,
                        fraction,
                        capacity,
                        seconds,
                        arrival,
                        seed,
                        inFlightLimit,
                        spinNanos,
                        lateNanos,
                        drainSeconds,
                        lagIntervalMs,
                        lagSpikeNanos,
                        hlogIntervalSeconds,
                        outDir,
                        jfr,
                        backend,
                        backendPid);
            }
        }

        /** What this point's load uses: {@link BackendConfig#NONE} for a load without backend calls. */
        public BackendConfig effectiveBackend() {
            return backend.forCalls(spec.backendCalls());
        }

        String stem() {
            return spec.name() + "_" + runtime + "_" + PointResult.rateParam(rate);
        }
    }

    public static PointResult run(Config c) throws IOException, InterruptedException {
        Path out = c.outDir();
        String stem = c.stem();
        LatencyRecorder rec = new LatencyRecorder(NanoClock.SYSTEM);
        RequestHandler handler = new RequestHandler(c.spec());
        BackendConfig backend = c.effectiveBackend();
        LoopSet loops = new LoopSet(
                c.runtime(),
                c.layout(),
                c.loops(),
                c.poolThreads(),
                c.lagIntervalMs(),
                c.lagSpikeNanos(),
                rec,
                backend);
        Recording jfr = null;
        Path jfrFile = null;
        OpenLoopGenerator gen;
        long drainEnd;
        long cpu;
        long backendCpu;
        double[] busy;
        long gcMs;
        long gcCount;
        int peakThreads;
        IntervalLog log = null;
        LoadRunEvent event = new LoadRunEvent();
        try {
            if (c.jfr() && out != null) {
                jfrFile = out.resolve("jfr").resolve(stem + ".jfr");
                Files.createDirectories(jfrFile.getParent());
                jfr = JfrSupport.start(jfrFile, "loopbench " + stem);
            }
            event.begin();
            log = new IntervalLog(
                    rec,
                    (long) (c.hlogIntervalSeconds() * 1e9),
                    out == null ? null : out.resolve("hlog").resolve(stem + ".hlog"),
                    out == null ? null : out.resolve("hlog").resolve(stem + ".uncorrected.hlog"),
                    out == null ? null : out.resolve("hlog").resolve(stem + ".service.hlog"));
            gen = new OpenLoopGenerator(
                    Arrivals.of(c.arrival(), c.rate(), c.seed()),
                    (long) (c.seconds() * 1e9),
                    loops,
                    handler,
                    rec,
                    c.inFlightLimit(),
                    c.spec().heavyShare(),
                    c.seed(),
                    NanoClock.SYSTEM,
                    c.spinNanos(),
                    c.lateNanos(),
                    TimeUnit.SECONDS.toNanos(30));
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            threads.resetPeakThreadCount();
            long cpu0 = processCpuNanos();
            long backendCpu0 = cpuNanosOf(c.backendPid());
            long[] gc0 = gc();
            log.start();
            OpenLoopGenerator g = gen;
            long[] idle0 = loops.idleNanos();
            long busy0 = System.nanoTime();
            Thread generator =
                    Thread.ofPlatform().name("loopbench-load-generator").start(() -> g.run(2_000_000L));
            generator.join();
            busy = busyFractions(idle0, loops.idleNanos(), System.nanoTime() - busy0);
            long drainDeadline = System.nanoTime() + (long) (c.drainSeconds() * 1e9);
            while (gen.inFlight() > 0 && System.nanoTime() - drainDeadline < 0) LockSupport.parkNanos(500_000);
            drainEnd = System.nanoTime();
            cpu = processCpuNanos() - cpu0;
            backendCpu = cpuNanosOf(c.backendPid()) - backendCpu0;
            long[] gc1 = gc();
            gcMs = gc1[0] - gc0[0];
            gcCount = gc1[1] - gc0[1];
            peakThreads = threads.getPeakThreadCount();
            log.finish(1_000_000_000L);
        } finally {
            loops.close();
            if (log != null) log.close();
        }
        long unfinished = Math.max(0, gen.inFlight());

        // loop lag: every probe sample from the schedule's start to the end of the drain
        Histogram lag = new Histogram(3);
        TreeMap<Long, Long> lagBuckets = new TreeMap<>();
        long bucketNanos = c.lagIntervalMs() * 1_000_000L;
        for (LagProbe p : loops.probes()) {
            for (int i = 0; i < p.count(); i++) {
                long t = p.timeAt(i) - gen.start;
                if (t < 0 || p.timeAt(i) - drainEnd > 0) continue;
                lag.recordValue(p.lagAt(i));
                lagBuckets.merge(t / bucketNanos, p.lagAt(i), Math::max);
            }
        }

        double windowSeconds = (gen.end - gen.start) / 1e9;
        double throughput = rec.completedInWindow() / windowSeconds;
        long errors = rec.errors() + gen.submitFailures;
        PointResult r = new PointResult(
                c.spec().name(),
                c.runtime(),
                c.layout().id(),
                c.arrival(),
                backend.mode(),
                c.rate(),
                c.fraction(),
                c.capacity(),
                c.seconds(),
                throughput,
                gen.issued,
                errors,
                unfinished,
                gen.stalled);
        PointHistograms total = log.total;
        r.addPercentiles("latency", total.corrected, 50, 90, 99, 99.9, 99.99);
        r.addMean("latency", total.corrected);
        r.addPercentiles("uncorrected", total.uncorrected, 50, 90, 99, 99.9);
        r.completed = total.uncorrected.getTotalCount();
        ServiceFigures.add(r, total, busy, c, backend);
        r.add("lateStarts", gen.lateStarts, "#");
        r.add("requests", gen.issued, "#");
        r.add("errors", errors, "#");
        r.add("unfinished", unfinished, "#");
        r.add("limitWaits", gen.limitWaits, "#");
        r.add("cpu.ms", cpu / 1e6, "ms");
        r.add("gc.ms", gcMs, "ms");
        r.add("gc.count", gcCount, "#");
        r.add("threads.peak", peakThreads, "#");
        r.add("lag.p50", lag.getTotalCount() == 0 ? Double.NaN : lag.getValueAtPercentile(50) / 1000.0, "us");
        r.add("lag.p99", lag.getTotalCount() == 0 ? Double.NaN : lag.getValueAtPercentile(99) / 1000.0, "us");
        r.add("lag.max", lag.getTotalCount() == 0 ? Double.NaN : lag.getMaxValue() / 1000.0, "us");
        r.add("startDelay.p99", gen.startDelay.getValueAtPercentile(99) / 1000.0, "us");
        r.add("startDelay.max", gen.startDelay.getMaxValue() / 1000.0, "us");
        r.add("generator.cpu.ms", gen.cpuNanos < 0 ? Double.NaN : gen.cpuNanos / 1e6, "ms");
        r.add("runtime.cpu.ms", gen.cpuNanos < 0 ? Double.NaN : (cpu - gen.cpuNanos) / 1e6, "ms");
        if (backendCpu >= 0 && c.backendPid() > 0) r.add("backend.cpu.ms", backendCpu / 1e6, "ms");
        r.add("uncaught", loops.uncaught(), "#");
        if (backend.isTcp()) {
            r.add("backend.failedCalls", loops.backendFailedCalls(), "#");
            r.add("backend.connectionFailures", loops.backendConnectionFailures(), "#");
            r.backendFailure = loops.backendFirstFailure();
        }

        event.end();
        if (event.shouldCommit()) {
            event.load = r.load;
            event.runtime = r.runtime;
            event.layout = r.layout;
            event.rate = r.rate;
            event.throughput = r.throughput;
            event.requests = r.requests;
            event.errors = r.errors;
            event.lateStarts = gen.lateStarts;
            event.p50Micros = (long) r.figure("latency.p50");
            event.p99Micros = (long) r.figure("latency.p99");
            event.p999Micros = (long) r.figure("latency.p99.9");
            event.lagP99Micros = (long) r.figure("lag.p99");
            event.commit();
        }
        JfrSummary.Point jfrSummary = null;
        if (jfr != null) {
            JfrSupport.stop(jfr);
            jfrSummary = JfrSupport.summarise(jfrFile);
        }
        if (out != null) {
            StringBuilder csv = new StringBuilder("t_ms,lag_us\n");
            for (Map.Entry<Long, Long> e : lagBuckets.entrySet()) {
                csv.append(e.getKey() * c.lagIntervalMs())
                        .append(',')
                        .append(e.getValue() / 1000)
                        .append('\n');
            }
            AtomicFile.write(out.resolve("lag").resolve(stem + ".csv"), csv.toString());
            RunFiles.writePoint(out, r.stem(), r.toJmh(), jfrSummary);
        }
        return r;
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** CPU time of process {@code pid} so far (Linux: /proc), or -1 when there is none or it cannot be read. */
    static long cpuNanosOf(long pid) {
        if (pid <= 0) return -1;
        return ProcessHandle.of(pid)
                .flatMap(h -> h.info().totalCpuDuration())
                .map(java.time.Duration::toNanos)
                .orElse(-1L);
    }

    /** Each loop's busy fraction over a window: 1 - (idle at the end - idle at the start) / window, in [0, 1]. */
    static double[] busyFractions(long[] idleBefore, long[] idleAfter, long windowNanos) {
        double[] busy = new double[idleBefore.length];
        for (int i = 0; i < busy.length; i++) {
            double idle = (double) (idleAfter[i] - idleBefore[i]) / Math.max(1, windowNanos);
            busy[i] = Math.min(1, Math.max(0, 1 - idle));
        }
        return busy;
    }

    /** {collection time ms, collections} summed over every collector. */
    static long[] gc() {
        long ms = 0;
        long count = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, b.getCollectionTime());
            count += Math.max(0, b.getCollectionCount());
        }
        return new long[] {ms, count};
    }
}
