package loopbench.bench.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import loopbench.bench.backend.DelayBackend;
import loopbench.core.EventLoop;
import loopbench.core.EventLoops;
import loopbench.core.io.AtomicFile;
import loopbench.schema.RunFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The soak test for one runtime in this JVM: a steady {@link Churn} on one loop for a given time,
 * sampling the live heap ({@link HeapAfterGc}), the JVM's platform threads and the loop's figures
 * every few seconds, then a verdict: the heap is flat ({@link HeapTrend}), no operation went wrong,
 * every operation finished once the churn stopped, the loop then ended by itself (nothing left
 * referenced), and every platform thread started during the run has ended after close.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar loopbench.bench.soak.Soak --runtime loom [--minutes 10] [--rate 2000]
 *      [--sample-seconds 5] [--out DIR]
 * </pre>
 * {@code ./loopbench soak} runs one such JVM per runtime, at the same time, and merges their files.
 * Writes {@code DIR/soak-RUNTIME.json} (settings, JDK, verdict, samples) and {@code DIR/soak-RUNTIME.csv}
 * (the samples), each atomically. Exit status: 0 flat, 1 not flat (the reasons are printed), 2 bad usage.
 */
public final class Soak {
    static final double DEFAULT_MINUTES = 10;
    static final double DEFAULT_RATE = 2000;
    static final double DEFAULT_SAMPLE_SECONDS = 5;
    static final long DRAIN_MILLIS = 10_000;
    static final long LOOP_ANSWER_MILLIS = 5_000;
    static final long THREADS_END_MILLIS = 5_000;
    /**
     * Threads the JDK itself starts on demand and keeps after our close(): the virtual-thread
     * scheduler's carriers, timers and I/O pollers (JDK 21 to 25 names; the carriers time out on
     * their own), the attach and notification machinery. None of them is the project's.
     */
    static final Pattern JDK_THREADS = Pattern.compile(
            "ForkJoinPool-\\d+-worker-\\d+|ForkJoinPool-\\d+-delayScheduler|ForkJoinPool\\.commonPool-worker-\\d+"
                    + "|VirtualThread-unparker|VirtualThread-unblocker|MasterPoller|(Read|Write)-Poller(-\\d+)?"
                    + "|Attach Listener|Notification Thread|Common-Cleaner|process reaper|Signal Dispatcher|Service Thread");
    /** What to run. */
    record Settings(String runtime, double minutes, double rate, double sampleSeconds, Path out) {
        Settings {
            if (!EventLoops.names().contains(runtime)) {
                throw new IllegalArgumentException("--runtime must be one of " + String.join(", ", EventLoops.names())
                        + ", got '" + runtime + "'");
            }
            if (!(minutes > 0) || minutes > 24 * 60) {
                throw new IllegalArgumentException(
                        "--minutes must be > 0 and at most 1440 (fractions allowed), got " + minutes);
            }
            if (!(rate >= 1) || rate > 100_000)
                throw new IllegalArgumentException("--rate must be in [1, 100000] operations per second, got " + rate);
            if (!(sampleSeconds >= 0.05) || sampleSeconds > 600) {
                throw new IllegalArgumentException("--sample-seconds must be in [0.05, 600], got " + sampleSeconds);
            }
            int samples = samples(minutes, sampleSeconds); // fields are not assigned yet in a compact constructor
            if (samples < HeapTrend.MIN_SAMPLES) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "--sample-seconds %s over %s minutes gives %d samples; the verdict needs at least %d: sample more often or run longer",
                        num(sampleSeconds),
                        num(minutes),
                        samples,
                        HeapTrend.MIN_SAMPLES));
            }
        }

        int samples() {
            return samples(minutes, sampleSeconds);
        }

        private static int samples(double minutes, double sampleSeconds) {
            return (int) Math.floor(minutes * 60 / sampleSeconds + 1e-9);
        }
    }

    /** What a run found. */
    record Result(
            Settings settings,
            boolean flat,
            List<String> reasons,
            HeapTrend heap,
            List<SoakSample> samples,
            Path json,
            Path csv) {}

    private Soak() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Options(out, err));
        cl.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) { // Settings' checks
                err.println("Soak: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl.execute(args);
    }

    /** The command line of one soak JVM. */
    @Command(
            name = "Soak",
            mixinStandardHelpOptions = true,
            description = "Soaks one runtime; ./loopbench soak runs one JVM per runtime.")
    static final class Options implements Callable<Integer> {
        @Option(
                names = "--runtime",
                required = true,
                description = "the runtime to soak: ${COMPLETION-CANDIDATES}",
                completionCandidates = RuntimeNames.class)
        String runtime;

        @Option(names = "--minutes", description = "how long the churn runs (default 10; fractions allowed, e.g. 0.5)")
        double minutes = DEFAULT_MINUTES;

        @Option(names = "--rate", description = "operations per second submitted to the loop (default 2000)")
        double rate = DEFAULT_RATE;

        @Option(
                names = "--sample-seconds",
                description = "time between samples (default 5); the verdict needs at least " + HeapTrend.MIN_SAMPLES
                        + " samples")
        double sampleSeconds = DEFAULT_SAMPLE_SECONDS;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                description = "where soak-RUNTIME.json and soak-RUNTIME.csv go (default results/soak-<timestamp>)")
        Path out;

        private final PrintStream stdout;
        private final PrintStream stderr;

        Options(PrintStream out, PrintStream err) {
            this.stdout = out;
            this.stderr = err;
        }

        Settings settings() {
            Path dir = out != null
                    ? out
                    : Path.of(System.getProperty("loopbench.home", "."))
                            .resolve("results")
                            .resolve("soak-"
                                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            return new Settings(
                    runtime, minutes, rate, sampleSeconds, dir.toAbsolutePath().normalize());
        }

        @Override
        public Integer call() {
            Settings s = settings();
            try {
                Result r = Soak.run(s, stdout);
                return r.flat() ? 0 : 1;
            } catch (IOException | RuntimeException e) {
                stderr.println("Soak: the " + s.runtime() + " soak failed: " + e);
                e.printStackTrace(stderr);
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stderr.println("Soak: interrupted");
                return 1;
            }
        }
    }

    /** The runtimes --runtime accepts. */
    static final class RuntimeNames extends ArrayList<String> {
        RuntimeNames() {
            super(EventLoops.names());
        }
    }

    /** Runs the soak, writes its two files, prints progress and the verdict to {@code out}. */
    static Result run(Settings s, PrintStream out) throws IOException, InterruptedException {
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        Set<Long> threadsBefore = platformThreadIds();
        int threadsBaseline = threadBean.getThreadCount();
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long t0 = System.nanoTime();
        List<SoakSample> samples = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int maxThreads = threadsBaseline;
        Churn churn;
        Churn.Stopped stopped;
        long heapBefore;
        boolean fellBack;
        try (HeapAfterGc heap = new HeapAfterGc()) {
            heapBefore = heap.collect();
            try (DelayBackend backend = new DelayBackend(0, 1, 1 << 16, 1024)) {
                EventLoop loop = EventLoops.create(s.runtime());
                churn = new Churn(loop, backend.port(), s.rate(), Math.min(5, s.minutes() * 60 * 0.05));
                long start = System.nanoTime();
                long samplePeriod = (long) (s.sampleSeconds() * 1e9);
                int printEvery = Math.max(1, (int) Math.round(60 / s.sampleSeconds()));
                try {
                    for (int k = 1; k <= s.samples(); k++) {
                        long wait = start + k * samplePeriod - System.nanoTime();
                        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait); // the sampling schedule, not ordering
                        long asked = System.nanoTime();
                        Churn.Snapshot snap = churn.snapshot(LOOP_ANSWER_MILLIS);
                        double answerMs = (System.nanoTime() - asked) / 1e6;
                        if (snap == null) {
                            problems.add(String.format(
                                    Locale.ROOT,
                                    "the loop did not answer the sampler within %d ms at %.0f s",
                                    LOOP_ANSWER_MILLIS,
                                    (System.nanoTime() - start) / 1e9));
                            break;
                        }
                        long live = heap.collect();
                        int threads = threadBean.getThreadCount();
                        maxThreads = Math.max(maxThreads, threads);
                        SoakSample sample = new SoakSample(
                                (asked - start) / 1e9,
                                live,
                                threads,
                                snap.completed(),
                                snap.started() - snap.completed(),
                                snap.errors(),
                                snap.parkedBodies(),
                                snap.openHandles(),
                                snap.emitterListeners(),
                                snap.stats().macrotasks(),
                                snap.stats().jobs(),
                                answerMs);
                        samples.add(sample);
                        if (k % printEvery == 0 || k == s.samples()) out.println(progress(s, sample));
                    }
                } finally {
                    stopped = churn.stop(DRAIN_MILLIS);
                }
            }
            fellBack = heap.fellBack();
        }
        List<String> leftover = threadsLeftOver(threadsBefore, THREADS_END_MILLIS);
        int threadsAfter = threadBean.getThreadCount();
        double wallSeconds = (System.nanoTime() - t0) / 1e9;

        double[] secs = samples.stream().mapToDouble(SoakSample::seconds).toArray();
        long[] live = samples.stream().mapToLong(SoakSample::heapAfterGcBytes).toArray();
        HeapTrend trend = HeapTrend.of(secs, live);
        List<String> reasons = new ArrayList<>(problems);
        if (!trend.flat()) reasons.add(trend.explanation());
        if (churn.runFailure() != null) reasons.add("the loop stopped with " + churn.runFailure());
        if (churn.errors() > 0)
            reasons.add(churn.errors() + " errors, the first: " + String.join(" | ", churn.messages()));
        if (!stopped.drained()) {
            reasons.add("operations did not finish: "
                    + (stopped.inFlightLeft() < 0
                            ? "the loop did not answer"
                            : stopped.inFlightLeft() + " still in flight")
                    + " " + DRAIN_MILLIS + " ms after the churn stopped");
        }
        if (!stopped.loopEndedByItself()) {
            reasons.add(
                    "the loop did not end by itself within " + DRAIN_MILLIS
                            + " ms once the churn stopped and the keep-alive was closed: a timer, socket or request stayed referenced");
        }
        if (!leftover.isEmpty()) reasons.add("threads still alive after close(): " + leftover);
        boolean flat = reasons.isEmpty();

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", 1);
        doc.put("runtime", s.runtime());
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("flat", flat);
        verdict.put("memoryFlat", trend.flat());
        verdict.put("threadsReturned", leftover.isEmpty());
        verdict.put("noErrors", churn.errors() == 0 && churn.runFailure() == null && problems.isEmpty());
        verdict.put("drained", stopped.drained());
        verdict.put("loopEndedByItself", stopped.loopEndedByItself());
        verdict.put("reasons", reasons);
        verdict.put("heap", heapMap(trend));
        doc.put("verdict", verdict);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("minutes", s.minutes());
        settings.put("rate", s.rate());
        settings.put("sampleSeconds", s.sampleSeconds());
        settings.put("tcpEvery", Churn.TCP_EVERY);
        settings.put(
                "kinds",
                java.util.Arrays.stream(Churn.Kind.values()).map(Enum::name).toList());
        doc.put("settings", settings);
        doc.put("jdk", jdk());
        doc.put(
                "heapMethod",
                "heap in use at the end of a System.gc() full collection, from the collector's notification"
                        + (fellBack ? " (some samples fell back to the heap in use after System.gc() returned)" : ""));
        doc.put("started", startedAt.toString());
        doc.put("wallSeconds", Math.round(wallSeconds * 10) / 10.0);
        doc.put("heapBeforeStartBytes", heapBefore);
        Map<String, Object> threads = new LinkedHashMap<>();
        threads.put("baseline", threadsBaseline);
        threads.put("maxDuringRun", maxThreads);
        threads.put("afterClose", threadsAfter);
        threads.put("leftover", leftover);
        doc.put("threads", threads);
        Map<String, Object> ops = new LinkedHashMap<>();
        ops.put("started", churn.started());
        ops.put("completed", churn.completed());
        ops.put("perSecond", Math.round(churn.completed() / (s.minutes() * 60) * 10) / 10.0);
        Map<String, Object> byKind = new LinkedHashMap<>();
        long[] counts = churn.byKind();
        for (Churn.Kind k : Churn.Kind.values()) byKind.put(k.name(), counts[k.ordinal()]);
        ops.put("byKind", byKind);
        ops.put("errors", churn.errors());
        ops.put("refusedByExhaustedPool", churn.refused());
        ops.put("errorMessages", churn.messages());
        ops.put("fellBehind", churn.fellBehind());
        doc.put("ops", ops);
        doc.put("samples", samples.stream().map(SoakSample::toMap).toList());

        Path json = s.out().resolve("soak-" + s.runtime() + ".json");
        Path csv = s.out().resolve("soak-" + s.runtime() + ".csv");
        StringBuilder rows = new StringBuilder("runtime," + String.join(",", SoakSample.COLUMNS) + "\n");
        for (SoakSample x : samples) rows.append(x.csvRow(s.runtime())).append('\n');
        AtomicFile.write(csv, rows.toString());
        RunFiles.write(json, doc);

        out.printf(
                Locale.ROOT,
                "%s: %s; %,d operations (%,d refused by an exhausted pool), threads %d before, %d at most, %d after close%n",
                s.runtime(),
                flat ? "FLAT" : "NOT FLAT",
                churn.completed(),
                churn.refused(),
                threadsBaseline,
                maxThreads,
                threadsAfter);
        out.println(s.runtime() + ": " + trend.explanation());
        for (String r : reasons) {
            if (!r.equals(trend.explanation())) out.println(s.runtime() + ": " + r);
        }
        out.println(s.runtime() + ": wrote " + json + " and " + csv.getFileName());
        return new Result(s, flat, List.copyOf(reasons), trend, List.copyOf(samples), json, csv);
    }

    private static String progress(Settings s, SoakSample x) {
        return String.format(
                Locale.ROOT,
                "%s %s: heap after GC %.2f MiB, %d threads, %,d ops (%,.0f/s), %d in flight, %d parked, %d errors",
                s.runtime(),
                clock(x.seconds()),
                x.heapAfterGcBytes() / 1048576.0,
                x.threads(),
                x.opsCompleted(),
                x.opsCompleted() / Math.max(1e-9, x.seconds()),
                x.opsInFlight(),
                x.parkedBodies(),
                x.errors());
    }

    private static Map<String, Object> heapMap(HeapTrend t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", t.samples());
        m.put("secondQuarterMedianBytes", t.secondQuarterMedianBytes());
        m.put("lastQuarterMedianBytes", t.lastQuarterMedianBytes());
        m.put("growthBytes", t.growthBytes());
        m.put("allowanceBytes", t.allowanceBytes());
        m.put("slopeBytesPerMinute", Math.round(t.slopeBytesPerMinute() * 10) / 10.0);
        m.put("projectedBytesPer10Minutes", Math.round(t.projectedBytesPer10Minutes() * 10) / 10.0);
        m.put("flat", t.flat());
        m.put("explanation", t.explanation());
        return m;
    }

    private static Map<String, Object> jdk() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", System.getProperty("java.version"));
        m.put("vendor", System.getProperty("java.vendor"));
        m.put("vm", System.getProperty("java.vm.name"));
        m.put("collectors", HeapAfterGc.collectors());
        m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        m.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        return m;
    }

    private static Set<Long> platformThreadIds() {
        Set<Long> ids = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) ids.add(t.threadId());
        return ids;
    }

    /**
     * The platform threads started since {@code before} that are still alive, but the JDK's own
     * ({@link #JDK_THREADS}); waits up to {@code waitMillis} for them to end, since a loop's threads
     * may end shortly after close() returns (the blocked-loop checker, within 100 ms).
     */
    static List<String> threadsLeftOver(Set<Long> before, long waitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (true) {
            List<String> left = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.isAlive()
                        && !before.contains(t.threadId())
                        && !JDK_THREADS.matcher(t.getName()).matches()) {
                    left.add(t.getName());
                }
            }
            if (left.isEmpty() || System.nanoTime() > deadline)
                return left.stream().sorted().toList();
            Thread.sleep(50); // polling a condition
        }
    }

    static String clock(double seconds) {
        long sec = Math.round(seconds);
        return String.format(Locale.ROOT, "%dm%02ds", sec / 60, sec % 60);
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
