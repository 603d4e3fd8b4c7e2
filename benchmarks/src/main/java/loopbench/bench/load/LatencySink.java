package loopbench.bench.load;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Where the completions of one loop go. Per successful request, in nanoseconds, two latencies (below),
 * its service time and its CPU work by class ({@link PointHistograms}). The latencies:
 * <em>corrected</em> = completion - intended start (wrk2's correction for coordinated omission: a
 * request the system kept from being sent on time is charged for the wait) and <em>uncorrected</em>
 * = completion - actual start (what a closed-loop tool would report). Failed requests (a rejected
 * promise, a refused submission) are only counted.
 *
 * <p>{@link Owned} is written by one loop's owner only (callbacks of a loop never overlap, and a
 * loop's owner thread hands over with a happens-before edge), so it records into plain histograms
 * at a few nanoseconds each; the interval logger gets them by posting {@link #rotate} to the loop,
 * which hands the filled pair over and starts a fresh one. {@link Shared} serves loops that live
 * for one request (the per-request layout): concurrent {@link Recorder}s, about 30 ns a record.
 */
abstract class LatencySink {
    final LatencyRecorder parent;

    LatencySink(LatencyRecorder parent) {
        this.parent = parent;
    }

    abstract void complete(Request r, boolean ok);

    /** Successful completions so far (any thread; may lag the owner by a moment). */
    abstract long completed();

    abstract long completedInWindow();

    abstract long errors();

    /** Adds what was recorded since the last take into {@code into}; see subclasses for threads. */
    abstract void takeInto(PointHistograms into);

    /** One loop's sink: owner-only writes. */
    static final class Owned extends LatencySink {
        private final Executor
                owner; // posts to the loop; null when the writer is the caller of takeInto (harness check)
        private PointHistograms current = new PointHistograms();
        private final AtomicLong completed = new AtomicLong();
        private final AtomicLong inWindow = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private final ConcurrentLinkedQueue<PointHistograms> handedOver = new ConcurrentLinkedQueue<>();
        private final AtomicLong rotations = new AtomicLong();
        private final Runnable rotateTask = this::rotate;

        Owned(LatencyRecorder parent, Executor owner) {
            super(parent);
            this.owner = owner;
        }

        @Override
        void complete(Request r, boolean ok) {
            long now = parent.clock.nanoTime();
            if (ok) {
                current.record(r, now);
                completed.lazySet(completed.get() + 1); // single writer: a release store, no atomic read-modify-write
                if (now - parent.windowEnd <= 0) inWindow.lazySet(inWindow.get() + 1);
            } else {
                errors.lazySet(errors.get() + 1);
            }
        }

        /** On the owner: hands the histograms filled so far to the logger and starts new ones. */
        void rotate() {
            handedOver.add(current);
            current = new PointHistograms();
            rotations.incrementAndGet();
        }

        /** Asks the owner loop to rotate; false if it cannot take work any more (closed). */
        boolean requestRotation() {
            if (owner == null) return false;
            try {
                owner.execute(rotateTask);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        long rotations() {
            return rotations.get();
        }

        /**
         * Adds the histograms the owner handed over. With {@code ownerStopped} (the loop has ended, or
         * the caller is the writer) it also takes the current ones directly.
         */
        void takeInto(PointHistograms into, boolean ownerStopped) {
            if (ownerStopped) rotate();
            PointHistograms h;
            while ((h = handedOver.poll()) != null) into.add(h);
        }

        @Override
        void takeInto(PointHistograms into) {
            takeInto(into, false);
        }

        @Override
        long completed() {
            return completed.get();
        }

        @Override
        long completedInWindow() {
            return inWindow.get();
        }

        @Override
        long errors() {
            return errors.get();
        }
    }

    /** Any-thread sink for loops that live for one request. */
    static final class Shared extends LatencySink {
        private final Recorder corrected = new Recorder(3);
        private final Recorder uncorrected = new Recorder(3);
        private final Recorder service = new Recorder(3);
        private final Recorder workHeavy = new Recorder(3);
        private final Recorder workLight = new Recorder(3);
        private final LongAdder completed = new LongAdder();
        private final LongAdder inWindow = new LongAdder();
        private final LongAdder errors = new LongAdder();

        Shared(LatencyRecorder parent) {
            super(parent);
        }

        @Override
        void complete(Request r, boolean ok) {
            long now = parent.clock.nanoTime();
            if (ok) {
                corrected.recordValue(Math.max(0, now - r.intended));
                uncorrected.recordValue(Math.max(0, now - r.actual));
                service.recordValue(Math.max(0, r.serviceNanos));
                if (r.workNanos >= 0) (r.heavy ? workHeavy : workLight).recordValue(r.workNanos);
                completed.increment();
                if (now - parent.windowEnd <= 0) inWindow.increment();
            } else {
                errors.increment();
            }
        }

        /** From one taker thread at a time. */
        @Override
        synchronized void takeInto(PointHistograms into) {
            into.corrected.add(corrected.getIntervalHistogram());
            into.uncorrected.add(uncorrected.getIntervalHistogram());
            into.service.add(service.getIntervalHistogram());
            into.workHeavy.add(workHeavy.getIntervalHistogram());
            into.workLight.add(workLight.getIntervalHistogram());
        }

        @Override
        long completed() {
            return completed.sum();
        }

        @Override
        long completedInWindow() {
            return inWindow.sum();
        }

        @Override
        long errors() {
            return errors.sum();
        }
    }
}
