package loopbench.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Platform-thread factories with names that say which loop and role a thread serves (seen in dumps and JFR). */
public final class NamedThreads {
    private static final AtomicInteger LOOP_IDS = new AtomicInteger();

    private NamedThreads() {}

    /** A fresh id for a loop, used in its threads' names. */
    public static int nextLoopId() {
        return LOOP_IDS.incrementAndGet();
    }

    public static Factory platform(String prefix) {
        return new Factory(prefix);
    }

    /**
     * A factory that remembers the threads it started, so that shutdown can wait for them to end.
     * An executor's {@code awaitTermination} returns once its workers have left their run loop,
     * a moment before their threads end: "every thread has ended when close() returns" needs the join.
     */
    public static final class Factory implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger n = new AtomicInteger();
        /** Started and not yet seen ended; pruned as threads are added, so a long-lived pool keeps no dead ones. */
        private final Set<Thread> started = ConcurrentHashMap.newKeySet();

        private Factory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true); // never keep the JVM alive; close() still ends them
            if (started.size() >= 64) started.removeIf(x -> !x.isAlive());
            started.add(t);
            return t;
        }

        /** Waits until every thread this factory started has ended, at most until the deadline; true if all did. */
        public boolean join(long deadlineNanos) throws InterruptedException {
            for (Thread t : started) {
                long left = deadlineNanos - System.nanoTime();
                if (left > 0 && t.isAlive()) TimeUnit.NANOSECONDS.timedJoin(t, left);
                if (!t.isAlive()) started.remove(t);
            }
            return started.isEmpty();
        }
    }
}
