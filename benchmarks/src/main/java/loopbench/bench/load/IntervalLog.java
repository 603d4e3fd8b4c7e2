package loopbench.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Takes interval histograms from the run's sinks every {@code intervalNanos} on a thread of its
 * own, writes them as HdrHistogram interval logs (values in nanoseconds, as RESULTS-FORMAT.md says)
 * and sums them into the run's totals. A loop's sink is rotated on the loop itself (a posted task),
 * so a blocked loop hands its interval over late and it lands in a later interval; nothing is lost.
 * The logs are written under a temporary name and renamed when complete.
 *
 * <p>Sequence: {@link #start}; {@link #finish} (after the last request finished: stops the thread,
 * takes a last interval from the still-running loops); then, after the loops have ended,
 * {@link #close} (takes whatever a stuck loop never handed over, closes and publishes the logs).
 */
final class IntervalLog {
    private final LatencyRecorder recorder;
    private final long intervalNanos;
    private final Path correctedFile;
    private final Path uncorrectedFile;
    private final Path serviceFile;
    /** Everything taken so far: the point's totals. */
    final PointHistograms total = new PointHistograms();

    private final HistogramLogWriter correctedLog;
    private final HistogramLogWriter uncorrectedLog;
    private final HistogramLogWriter serviceLog;
    private final PointHistograms interval = new PointHistograms();
    private long lastMillis;
    private volatile boolean stopping;
    private Thread thread;
    private volatile Throwable failure;

    /** The files may be null: then nothing is written, totals only. */
    IntervalLog(
            LatencyRecorder recorder, long intervalNanos, Path correctedFile, Path uncorrectedFile, Path serviceFile)
            throws IOException {
        this.recorder = recorder;
        this.intervalNanos = intervalNanos;
        this.correctedFile = correctedFile;
        this.uncorrectedFile = uncorrectedFile;
        this.serviceFile = serviceFile;
        lastMillis = System.currentTimeMillis();
        correctedLog = open(correctedFile, lastMillis, "corrected latency (completion - intended start), ns");
        uncorrectedLog = open(uncorrectedFile, lastMillis, "uncorrected latency (completion - actual start), ns");
        serviceLog = open(serviceFile, lastMillis, "service time (the handler held its loop, I/O waits excluded), ns");
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("loopbench-load-hlog").start(() -> {
            try {
                long next = System.nanoTime() + intervalNanos;
                while (!stopping) {
                    long left = next - System.nanoTime();
                    if (left > 0) {
                        LockSupport.parkNanos(left);
                        continue;
                    }
                    next += intervalNanos;
                    take(false, intervalNanos / 2);
                }
            } catch (Throwable t) {
                failure = t;
            }
        });
    }

    /** Stops the periodic thread and takes one more interval from the loops, waiting up to {@code waitNanos} for them. */
    void finish(long waitNanos) throws InterruptedException {
        stopping = true;
        if (thread != null) {
            LockSupport.unpark(thread);
            thread.join();
        }
        if (failure != null) throw new IllegalStateException("writing the histogram logs failed: " + failure, failure);
        take(false, waitNanos);
    }

    /** After every loop has ended: takes what is left directly, then closes and publishes the logs. */
    void close() throws IOException {
        take(true, 0);
        if (correctedLog != null) correctedLog.close();
        if (uncorrectedLog != null) uncorrectedLog.close();
        if (serviceLog != null) serviceLog.close();
        publish(correctedFile);
        publish(uncorrectedFile);
        publish(serviceFile);
    }

    private void take(boolean ownersStopped, long waitNanos) {
        List<LatencySink> sinks = recorder.sinks();
        if (!ownersStopped) {
            long[] before = new long[sinks.size()];
            boolean[] asked = new boolean[sinks.size()];
            for (int i = 0; i < sinks.size(); i++) {
                if (sinks.get(i) instanceof LatencySink.Owned o) {
                    before[i] = o.rotations();
                    asked[i] = o.requestRotation();
                }
            }
            long deadline = System.nanoTime() + waitNanos;
            for (int i = 0; i < sinks.size(); i++) {
                if (!asked[i]) continue;
                LatencySink.Owned o = (LatencySink.Owned) sinks.get(i);
                while (o.rotations() == before[i] && System.nanoTime() - deadline < 0) LockSupport.parkNanos(100_000);
            }
        }
        interval.reset();
        for (LatencySink s : sinks) {
            if (s instanceof LatencySink.Owned o) o.takeInto(interval, ownersStopped);
            else s.takeInto(interval);
        }
        long now = System.currentTimeMillis();
        interval.setTimeStamps(lastMillis, now);
        lastMillis = now;
        total.add(interval);
        if (correctedLog != null) correctedLog.outputIntervalHistogram(interval.corrected);
        if (uncorrectedLog != null) uncorrectedLog.outputIntervalHistogram(interval.uncorrected);
        if (serviceLog != null) serviceLog.outputIntervalHistogram(interval.service);
    }

    private static Path partial(Path file) {
        return file.resolveSibling(file.getFileName() + ".partial");
    }

    private static void publish(Path file) throws IOException {
        if (file == null) return;
        Files.move(partial(file), file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static HistogramLogWriter open(Path file, long baseMillis, String comment) throws IOException {
        if (file == null) return null;
        Files.createDirectories(file.getParent());
        HistogramLogWriter w =
                new HistogramLogWriter(new PrintStream(partial(file).toFile()));
        w.outputComment(comment);
        w.outputLogFormatVersion();
        w.outputStartTime(baseMillis);
        w.setBaseTime(baseMillis);
        w.outputLegend();
        return w;
    }
}
