package loopbench.core;

/** A callback that may throw anything; what it throws is reported, as JavaScript reports a thrown value. */
@FunctionalInterface
public interface ThrowingRunnable {
    void run() throws Throwable;
}
