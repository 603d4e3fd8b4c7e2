package loopbench.core.io;

import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * Where a runtime runs blocking calls: {@code call} runs off the loop, and {@code done(value,
 * error)} runs on the loop as a poll-phase I/O callback (a libuv request). The loop's work requests
 * are these ({@code Transport.Host.blockingCalls}): loom runs each call on a virtual thread,
 * threadpool on its bounded pool, loop on its worker pool (name lookups only).
 */
@FunctionalInterface
public interface BlockingCalls {
    <T> void call(Callable<T> call, BiConsumer<? super T, Throwable> done);
}
