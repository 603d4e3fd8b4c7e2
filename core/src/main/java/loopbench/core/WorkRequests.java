package loopbench.core;

import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import loopbench.core.io.BlockingCalls;

/**
 * libuv's work requests ({@code uv_queue_work}) for one loop: blocking work runs on the runtime's
 * offload threads, and its completion {@code done(value, error)} comes back to the loop as a
 * poll-phase callback. A request keeps the loop alive from its start until its completion has run.
 * Offloads, file operations and the blocking runtimes' sockets all go through here.
 *
 * <p>Implementation: a request is a {@link PoolTask}, so a pool that took it and then has to refuse
 * it (threadpool exhaustion) settles it as failed; a flag makes "ran" and "failed before start"
 * exclusive. A runtime that refuses at once ({@link RejectedExecutionException}) gets the
 * rejection as the completion, synchronously, as libuv's uv_queue_work returns an error.
 */
final class WorkRequests implements BlockingCalls {
    private final LoopThreads threads;
    private final Consumer<Runnable> post; // the loop's cross-thread submission: completions run in its poll phase
    private int inFlight; // started and not yet completed (owner-only)

    WorkRequests(LoopThreads threads, Consumer<Runnable> post) {
        this.threads = threads;
        this.post = post;
    }

    /** Starts {@code work} off the loop; {@code done} runs on the loop. Owner only. */
    @Override
    public <T> void call(Callable<T> work, BiConsumer<? super T, Throwable> done) {
        inFlight++;
        try {
            threads.startOffload(new Request<>(work, done));
        } catch (RejectedExecutionException e) {
            inFlight--;
            done.accept(null, e);
        }
    }

    /** Requests whose completion has not run yet: each keeps the loop alive (owner-only). */
    int inFlight() {
        return inFlight;
    }

    /** One request: runs once or fails once, then posts its completion. */
    private final class Request<T> implements PoolTask {
        private final Callable<T> work;
        private final BiConsumer<? super T, Throwable> done;
        private final AtomicBoolean started = new AtomicBoolean();

        Request(Callable<T> work, BiConsumer<? super T, Throwable> done) {
            this.work = work;
            this.done = done;
        }

        @Override
        public void run() {
            if (!started.compareAndSet(false, true)) return;
            T value = null;
            Throwable error = null;
            try {
                value = work.call();
            } catch (Throwable t) {
                error = t;
            }
            complete(value, error);
        }

        @Override
        public boolean failBeforeStart(Throwable why) {
            if (!started.compareAndSet(false, true)) return false;
            complete(null, why);
            return true;
        }

        private void complete(T value, Throwable error) {
            post.accept(() -> {
                inFlight--;
                done.accept(value, error);
            });
        }
    }
}
