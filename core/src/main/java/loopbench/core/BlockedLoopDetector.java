package loopbench.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import loopbench.core.jfr.BlockedLoopEvent;

/**
 * Vert.x's blocked-thread checker for loops: one daemon platform thread looks at every running
 * loop a few times per threshold (at least every 100 ms) and reports, once per callback, a callback still running past
 * the loop's threshold, with the stack of the thread holding the loop (stderr, a JFR event and
 * the loop's stats). Loops publish a callback sequence number, not a time, so the hot path reads
 * no clock: a number seen again on the next look has been running at least that long. The thread exists only while some loop runs: it ends when the last one
 * stops, so no thread of ours outlives close().
 */
final class BlockedLoopDetector {
    private static final Set<EventLoopCore> LOOPS = ConcurrentHashMap.newKeySet();
    private static Thread checker; // guarded by BlockedLoopDetector.class

    private BlockedLoopDetector() {
    }

    static void register(EventLoopCore loop) {
        LOOPS.add(loop);
        synchronized (BlockedLoopDetector.class) {
            if (checker == null || !checker.isAlive()) {
                checker = new Thread(BlockedLoopDetector::check, "loopbench-blocked-loop-checker");
                checker.setDaemon(true);
                checker.start();
            }
        }
    }

    static void unregister(EventLoopCore loop) {
        LOOPS.remove(loop);
    }

    private static void check() {
        while (true) {
            long period = Long.MAX_VALUE;
            synchronized (BlockedLoopDetector.class) {
                if (LOOPS.isEmpty()) {
                    checker = null;
                    return;
                }
            }
            for (EventLoopCore loop : LOOPS) {
                long threshold = loop.options.blockedThresholdMillis() * 1_000_000L;
                period = Math.min(period, Math.max(threshold / 8, 1_000_000L));
                long seq = loop.runningCallback();
                long now = System.nanoTime();
                loop.checkStalled(now, threshold);
                if (seq == 0) continue;
                if (seq != loop.seenSeq) { // a new callback: time it from now (resolution: this period)
                    loop.seenSeq = seq;
                    loop.seenAt = now;
                    continue;
                }
                long running = now - loop.seenAt;
                if (running > loop.longestSeen) loop.longestSeen = running;
                if (running < threshold || seq == loop.reportedSeq) continue;
                loop.reportedSeq = seq;
                report(loop, running);
            }
            LockSupport.parkNanos(Math.min(period, 100_000_000L));
        }
    }

    private static void report(EventLoopCore loop, long runningNanos) {
        Thread t = loop.owner;
        StackTraceElement[] stack = t == null ? new StackTraceElement[0] : t.getStackTrace();
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : stack) sb.append("\tat ").append(e).append('\n');
        loop.blockedReports++;
        System.err.printf("loopbench: the %s loop has been blocked for %d ms by a callback on thread '%s' (threshold %d ms):%n%s",
                loop.runtime(), runningNanos / 1_000_000, t == null ? "?" : t.getName(),
                loop.options.blockedThresholdMillis(), sb);
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
