package loopbench.core;

/**
 * The rest of an async function, for code that cannot block: a {@link Promise.Settlement} that is
 * also its own promise reaction job. An async function awaits one thing at a time, so the object
 * that holds its state can be the job each {@code loop.whenSettled(x, this)} (or
 * {@code promise.whenSettled(this)}) queues, and an await allocates nothing, as an {@code await} on
 * the loom and threadpool runtimes.
 *
 * <p>Invariant: the object is registered with at most one promise, or queued at most once, at a
 * time; it is free again when its job starts. Registering it while it still waits is allowed and
 * correct, only not free: that registration gets a job object of its own.
 */
public abstract class AsyncContinuation extends PromiseJob implements Promise.Settlement {
    private boolean waiting;

    /** Takes this object as the job of one await; false if an earlier await's job has not run yet. */
    final boolean claim() {
        if (waiting) return false;
        waiting = true;
        return true;
    }

    @Override
    final void runJob() {
        waiting = false;
        Object arg = argument;
        argument = null;
        settled(arg, rejected);
    }
}
