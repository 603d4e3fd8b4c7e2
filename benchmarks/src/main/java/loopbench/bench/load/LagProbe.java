package loopbench.bench.load;

import java.util.Arrays;
import loopbench.core.EventLoop;
import loopbench.core.Timeout;
import loopbench.core.jfr.LoopLagEvent;

/**
 * A loop-lag probe, like Node's {@code monitorEventLoopDelay}: a timer re-armed every
 * {@code intervalMs} records how late it ran. Lateness is measured against the instant the timer
 * was due on the loop's own millisecond clock ({@code loop.now()}), whose phase against
 * {@link System#nanoTime} the probe finds once at start by watching the clock tick over; so an idle
 * loop shows the wake-up cost of its poll (tens of microseconds), not a 0..1 ms rounding error.
 * A sample at or above the spike threshold is also a {@code loopbench.LoopLag} JFR event.
 *
 * <p>Owner-only: {@link #start} and {@link #stop} run on the loop; the samples are read after the
 * loop has stopped.
 */
final class LagProbe {
    private static final int CALIBRATION_TIMER_MS = 3_600_000;
    private static final Runnable NOOP = () -> {};

    private final EventLoop loop;
    private final int intervalMs;
    private final long spikeNanos;
    private final Runnable tick = this::tick;
    private long timeBase; // System.nanoTime() at loop time 0, as estimated
    private boolean calibrated;
    private long due;
    private Timeout timer;
    private boolean stopped;
    private long[] times = new long[1024];
    private long[] lags = new long[1024];
    private int count;

    LagProbe(EventLoop loop, int intervalMs, long spikeNanos) {
        this.loop = loop;
        this.intervalMs = intervalMs;
        this.spikeNanos = spikeNanos;
    }

    void start() {
        calibrate();
        arm();
    }

    void stop() {
        stopped = true;
        if (timer != null) loop.clearTimeout(timer);
    }

    /** The nanoTime the armed sample is due at, as estimated; its lag will be measured from it. */
    long dueNanos() {
        return due;
    }

    boolean calibrated() {
        return calibrated;
    }

    private void tick() {
        long fired = System.nanoTime();
        if (stopped) return;
        long lag = Math.max(0, fired - due);
        if (count == times.length) {
            times = Arrays.copyOf(times, count * 2);
            lags = Arrays.copyOf(lags, count * 2);
        }
        times[count] = fired;
        lags[count] = lag;
        count++;
        if (lag >= spikeNanos) {
            LoopLagEvent e = new LoopLagEvent();
            if (e.shouldCommit()) {
                e.runtime = loop.runtime();
                e.lagNanos = lag;
                e.commit();
            }
        }
        arm();
    }

    private void arm() {
        timer = loop.setTimeout(
                tick, intervalMs); // setTimeout refreshes loop.now(): the timer is due at now() + interval
        loop.setRefed(timer, false);
        due = timeBase + (loop.now() + intervalMs) * 1_000_000L;
    }

    /**
     * Finds the nanoTime of loop time 0. Scheduling a timer refreshes the loop clock
     * ({@code (nanoTime - base) / 1e6}, truncated); when two consecutive readings differ by one
     * millisecond, the tick happened between them, which pins the base to a few hundred nanoseconds.
     * Gives up after a few attempts (a preempted thread) and then assumes the middle of the millisecond.
     */
    private void calibrate() {
        for (int attempt = 0; attempt < 5; attempt++) {
            long end = System.nanoTime() + 3_000_000L;
            long prevBefore = 0;
            long prevMs = Long.MIN_VALUE;
            for (; ; ) {
                long before = System.nanoTime();
                loop.clearTimeout(loop.setTimeout(NOOP, CALIBRATION_TIMER_MS));
                long ms = loop.now();
                long after = System.nanoTime();
                if (prevMs != Long.MIN_VALUE && ms == prevMs + 1 && after - prevBefore < 20_000) {
                    long boundary = prevBefore + (after - prevBefore) / 2; // the tick lies in (prevBefore, after]
                    timeBase = boundary - ms * 1_000_000L;
                    calibrated = true;
                    return;
                }
                prevMs = ms;
                prevBefore = before;
                if (after - end > 0) break;
            }
        }
        long before = System.nanoTime();
        loop.clearTimeout(loop.setTimeout(NOOP, CALIBRATION_TIMER_MS));
        timeBase = before - loop.now() * 1_000_000L - 500_000L;
    }

    int count() {
        return count;
    }

    long timeAt(int i) {
        return times[i];
    }

    long lagAt(int i) {
        return lags[i];
    }
}
