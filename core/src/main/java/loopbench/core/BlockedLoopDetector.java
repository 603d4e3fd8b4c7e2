package loopbench.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import loopbench.core.jfr.BlockedLoopEvent;

/**
 * Vert.x's blocked-thread checker for loops: one daemon platform thread looks at every running
 * loop a few times per threshold (at least every 100 ms) and reports, once per callback, a callback
 * still running past the loop's threshold, with the stack of the thread holding the loop (stderr,
 * a JFR event and the loop's stats). The script body counts as a callback, and a callback's scope
 * (the drain after it) belongs to it.
 *
 * <p>Implementation: loops publish a callback sequence number, not a time, so their hot path reads
 * no clock: a number seen again on the next look has been running at least that long. What the
 * checker remembers about a loop is that loop's {@link Watch}. The thread exists only while some
 * loop runs: it ends when the last one stops, so no thread of ours outlives close().
 */
final class BlockedLoopDetector {
    private static final Set<Watch> WATCHED = ConcurrentHashMap.newKeySet();
    private static Thread checker; // guarded by BlockedLoopDetector.class

    private BlockedLoopDetector() {}

    /**
     * What the checker knows of one loop. Written by the checker's thread only; the two figures
     * the loop's stats show are volatile so that any thread may read them.
     */
    static final class Watch {
        final EventLoopCore loop;
        private long seenSeq; // the callback seen running at the last look (checker only)
        private long seenAt; // when it was first seen (checker only)
        private long reportedSeq; // the callback already reported (checker only)
        volatile long longestSeen; // the longest callback seen running, in ns
        volatile long blockedReports; // callbacks reported

        Watch(EventLoopCore loop) {
            this.loop = loop;
        }
    }

    static void register(Watch watch) {
        WATCHED.add(watch);
        synchronized (BlockedLoopDetector.class) {
            if (checker == null || !checker.isAlive()) {
                checker = new Thread(BlockedLoopDetector::check, "loopbench-blocked-loop-checker");
                checker.setDaemon(true);
                checker.start();
            }
        }
    }

    static void unregister(Watch watch) {
        WATCHED.remove(watch);
    }

    private static void check() {
        while (true) {
            long period = Long.MAX_VALUE;
            synchronized (BlockedLoopDetector.class) {
                if (WATCHED.isEmpty()) {
                    checker = null;
                    return;
                }
            }
            for (Watch w : WATCHED) {
                EventLoopCore loop = w.loop;
                long threshold = loop.options.blockedThresholdMillis() * 1_000_000L;
                period = Math.min(period, Math.max(threshold / 8, 1_000_000L));
                long seq = loop.runningCallback();
                long now = System.nanoTime();
                loop.threads.checkStalled(now, threshold);
                if (seq == 0) continue;
                if (seq != w.seenSeq) { // a new callback: time it from now (resolution: this period)
                    w.seenSeq = seq;
                    w.seenAt = now;
                    continue;
                }
                long running = now - w.seenAt;
                if (running > w.longestSeen) w.longestSeen = running;
                if (running < threshold || seq == w.reportedSeq) continue;
                w.reportedSeq = seq;
                report(w, running);
            }
            LockSupport.parkNanos(Math.min(period, 100_000_000L));
        }
    }

    private static void report(Watch w, long runningNanos) {
        EventLoopCore loop = w.loop;
        Thread t = loop.owner;
        StackTraceElement[] stack = t == null ? new StackTraceElement[0] : t.getStackTrace();
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : stack) sb.append("\tat ").append(e).append('\n');
        w.blockedReports++;
        System.err.printf(
                "loopbench: the %s loop has been blocked for %d ms by a callback on thread '%s' (threshold %d ms):%n%s",
                loop.runtime(),
                runningNanos / 1_000_000,
                t == null ? "?" : t.getName(),
                loop.options.blockedThresholdMillis(),
                sb);
        BlockedLoopEvent e = new BlockedLoopEvent();
        if (e.shouldCommit()) {
            e.runtime = loop.runtime();
            e.runningNanos = runningNanos;
            e.threadName = t == null ? null : t.getName();
            e.stack = sb.toString();
            e.commit();
        }
    }
}
