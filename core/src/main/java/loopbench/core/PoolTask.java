package loopbench.core;

/** A task a bounded pool may have to refuse after queueing it: it then settles as failed instead of running. */
public interface PoolTask extends Runnable {
    /** Fails the task if it has not started; returns false if it already has. */
    boolean failBeforeStart(Throwable why);
}
