package loopbench.core;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Platform-thread factories with names that say which loop and role a thread serves (seen in dumps and JFR). */
public final class NamedThreads {
    private static final AtomicInteger LOOP_IDS = new AtomicInteger();

    private NamedThreads() {}

    /** A fresh id for a loop, used in its threads' names. */
    public static int nextLoopId() {
        return LOOP_IDS.incrementAndGet();
    }

    public static ThreadFactory platform(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true); // never keep the JVM alive; close() still ends them
            return t;
        };
    }
}
