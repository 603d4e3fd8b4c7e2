package loopbench.bench.load;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The open-loop load generator. Requests are due at a schedule set in advance ({@link Arrivals}),
 * independent of how fast the system answers: the generator waits for each intended start (parks,
 * then spins the last {@code spinNanos}), submits the request, and goes on to the next. It never
 * skips a request: if it falls behind (the thread was descheduled, or it had to wait) it submits the
 * backlog at once, each request counted as a late start when it went out more than
 * {@code lateNanos} after its intended start. Latency is measured from the intended start, so any
 * such delay is charged to the system, as wrk2 does.
 *
 * <p>Requests in flight are bounded by {@code inFlightLimit} (memory, and a stuck system must not
 * take the JVM down): at the limit the generator waits for completions. The wait is counted
 * ({@link #limitWaits}) and, because latency is measured from the intended start, shows as latency.
 * If nothing completes for {@code stallNanos} the generator gives up and the run is marked stalled.
 * In flight is issued - done; the generator re-reads the loops' done counters only when its
 * conservative estimate reaches the limit, so the loops' counters stay in their own caches.
 *
 * <p>One instance per run; {@link #run} is called on the generator's own platform thread.
 */
final class OpenLoopGenerator {
    /** Where requests go: {@code loop.execute(...)} on the run's loops. Called by the generator thread only. */
    interface Target {
        /** Sets the request's loop and sink and submits it; throws if it cannot be submitted. */
        void submit(Request r);
    }

    private final Arrivals arrivals;
    private final long durationNanos;
    private final Target target;
    private final RequestHandler handler;
    private final LatencyRecorder recorder;
    private final int inFlightLimit;
    private final double heavyShare;
    private final SplittableRandom heavyDraw;
    private final NanoClock clock;
    private final long spinNanos;
    private final long lateNanos;
    private final long stallNanos;

    // results, valid after run() returned
    final Histogram startDelay = new Histogram(3); // actual - intended start, ns
    long start; // intended start of the first request
    long end; // end of the schedule (start + duration)
    long finished; // when the last request went out
    long issued;
    long submitFailures; // refused by the target (a closed loop): counted as errors
    long lateStarts;
    long limitWaits;
    long limitWaitNanos;
    long cpuNanos = -1;
    boolean stalled;

    OpenLoopGenerator(
            Arrivals arrivals,
            long durationNanos,
            Target target,
            RequestHandler handler,
            LatencyRecorder recorder,
            int inFlightLimit,
            double heavyShare,
            long seed,
            NanoClock clock,
            long spinNanos,
            long lateNanos,
            long stallNanos) {
        if (inFlightLimit < 1) throw new IllegalArgumentException("inFlightLimit must be >= 1");
        this.arrivals = arrivals;
        this.durationNanos = durationNanos;
        this.target = target;
        this.handler = handler;
        this.recorder = recorder;
        this.inFlightLimit = inFlightLimit;
        this.heavyShare = heavyShare;
        this.heavyDraw = heavyDraw(seed);
        this.clock = clock;
        this.spinNanos = spinNanos;
        this.lateNanos = lateNanos;
        this.stallNanos = stallNanos;
    }

    /** The draws that make a request heavy, from the run's seed (also replayed by {@link Validation}). */
    static SplittableRandom heavyDraw(long seed) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 1);
    }

    /** Starts the schedule {@code leadNanos} from now and runs it to the end. */
    void run(long leadNanos) {
        start = clock.nanoTime() + leadNanos;
        end = start + durationNanos;
        recorder.windowEnd = end;
        long doneSeen = 0; // a lower bound of the requests done: issued - doneSeen bounds in flight from above
        double offset = 0;
        while (true) {
            long intended = start + (long) offset;
            if (intended - end >= 0) break;
            long actual = clock.waitUntil(intended, spinNanos);
            if (issued - submitFailures - doneSeen >= inFlightLimit) {
                doneSeen = recorder.done();
                if (issued - submitFailures - doneSeen >= inFlightLimit) {
                    if (!waitForRoom()) {
                        stalled = true;
                        break;
                    }
                    doneSeen = recorder.done();
                    actual = clock.nanoTime();
                }
            }
            long delay = actual - intended;
            startDelay.recordValue(Math.max(0, delay));
            if (delay > lateNanos) lateStarts++;
            boolean heavy = heavyShare > 0 && heavyDraw.nextDouble() < heavyShare;
            Request r = new Request(intended, actual, heavy, handler);
            issued++;
            try {
                target.submit(r);
            } catch (RuntimeException e) {
                submitFailures++;
            }
            offset += arrivals.nextGapNanos();
        }
        finished = clock.nanoTime();
        if (clock == NanoClock.SYSTEM) {
            cpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }
    }

    /** Requests issued and not finished (valid on the generator thread, or after it ended). */
    long inFlight() {
        return issued - submitFailures - recorder.done();
    }

    /** At the in-flight limit: waits for a completion; false if none came for {@code stallNanos}. */
    private boolean waitForRoom() {
        limitWaits++;
        long t0 = clock.nanoTime();
        long lastProgress = t0;
        long lastDone = recorder.done();
        while (issued - submitFailures - recorder.done() >= inFlightLimit) {
            LockSupport.parkNanos(20_000);
            long now = clock.nanoTime();
            long done = recorder.done();
            if (done != lastDone) {
                lastDone = done;
                lastProgress = now;
            } else if (now - lastProgress > stallNanos) {
                limitWaitNanos += now - t0;
                return false;
            }
        }
        limitWaitNanos += clock.nanoTime() - t0;
        return true;
    }
}
