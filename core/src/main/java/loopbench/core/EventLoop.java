package loopbench.core;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * One Node-style event loop: a single ordering domain whose callbacks never overlap. The same
 * contract on every runtime ({@code loop}, {@code loom}, {@code threadpool}); they differ only in
 * which threads run the callbacks and in what {@link #await} costs.
 *
 * <p>Everything but {@link #execute}, {@link #close} and {@link #run} must be called by the loop's
 * owner: from a callback, a promise handler or an async body of this loop. Other threads submit
 * work with {@link #execute}. A {@code null} callback, scheduling after {@code close()}, or a call
 * from a foreign thread throws at once with a message that says which.
 */
public interface EventLoop extends AutoCloseable {

    /** The runtime's name: {@code loop}, {@code loom} or {@code threadpool}. */
    String runtime();

    // ---- macrotasks

    /** {@code setTimeout(cb, ms)}: ms coerced as Node does (0, negative, NaN become 1; fractions truncate). */
    Timeout setTimeout(Runnable callback, double ms);

    /** {@code setInterval(cb, ms)}: the next run is due {@code ms} after the start of the previous one. */
    Timeout setInterval(Runnable callback, double ms);

    void clearTimeout(Timeout timeout);

    default void clearInterval(Timeout timeout) {
        clearTimeout(timeout);
    }

    /**
     * Whether a timer keeps the loop alive ({@code timeout.ref()/unref()}); {@link Timeout#hasRef()}
     * answers. An unref'd timer still fires while the loop runs for something else.
     */
    void setRefed(Timeout timeout, boolean refed);

    /**
     * {@code timeout.refresh()}: the same timer, due its delay from now, at the end of its duration's
     * list; one that already fired is armed again, one that was cleared stays cleared.
     */
    void refresh(Timeout timeout);

    Immediate setImmediate(Runnable callback);

    void clearImmediate(Immediate immediate);

    /**
     * {@code immediate.ref()/unref()}: an unref'd immediate neither keeps the loop alive nor keeps the
     * poll phase from waiting, but runs in the next check phase the loop reaches. No-op once it ran
     * or was cleared ({@link Immediate#hasRef()} is false then).
     */
    void setRefed(Immediate immediate, boolean refed);

    // ---- jobs

    /** {@code process.nextTick(cb)}: runs after the current callback, before any microtask. */
    void nextTick(Runnable callback);

    /** {@code queueMicrotask(cb)}: shares one FIFO with promise jobs. */
    void queueMicrotask(Runnable callback);

    // ---- promises

    /** {@code new Promise(executor)}: the executor runs now; if it throws, the promise rejects. */
    <T> Promise<T> newPromise(PromiseExecutor<T> executor);

    /** {@code Promise.withResolvers()}. */
    <T> Promise.Resolvers<T> deferred();

    /** {@code Promise.resolve(v)}: a native promise of this loop is returned as it is. */
    <T> Promise<T> resolved(Object value);

    /** {@code Promise.reject(reason)}. */
    <T> Promise<T> rejected(Object reason);

    Promise<List<Object>> all(List<?> items);

    Promise<List<Object>> allSettled(List<?> items);

    Promise<Object> race(List<?> items);

    Promise<Object> any(List<?> items);

    /**
     * Starts an async function: {@code body} runs now, synchronously, until it returns or first
     * awaits; its result (or exception) settles the returned promise as a JavaScript async function's.
     */
    <T> Promise<T> async(Callable<T> body);

    /**
     * JavaScript's {@code await} inside an {@link #async} body: parks only this body, lets the loop
     * run, and resumes it in the promise job where JavaScript would. A rejection is thrown
     * (see {@link ValueException#toThrow}). Refused with {@link IllegalStateException} on a runtime
     * that cannot block (the {@code loop} runtime: write promise chains there).
     */
    <T> T await(Object promiseOrValue);

    /**
     * {@code await promiseOrValue} written as a continuation, for code that cannot block (every
     * runtime accepts it; on {@code loop} it is how an async function's rest is written):
     * {@code continuation} runs as the one promise job JavaScript's {@code await} would resume in,
     * with the value, or the reason and {@code rejected = true}. No promise is made for a plain value,
     * and no job object when {@code continuation} is an {@link AsyncContinuation} that is not waiting.
     */
    void whenSettled(Object promiseOrValue, Promise.Settlement continuation);

    /** Whether {@link #await} is available on this runtime. */
    boolean canAwait();

    // ---- off-loop work and I/O

    /** Runs blocking work off the loop; its result settles the promise in the poll phase. */
    <T> Promise<T> offload(Callable<T> work);

    /** Reads a file off the loop; {@code callback(bytes, error)} runs in the poll phase, as fs.readFile's. */
    void readFile(Path path, BiConsumer<byte[], Throwable> callback);

    /** Promise form of {@link #readFile(Path, BiConsumer)}. */
    Promise<byte[]> readFile(Path path);

    /** Writes a file off the loop; the callback runs in the poll phase. */
    Promise<Void> writeFile(Path path, byte[] data);

    /** Node's {@code net}: TCP with length-prefixed frames on this loop ({@link loopbench.core.io.Net}). */
    default loopbench.core.io.Net net() {
        throw new UnsupportedOperationException("net: TCP is not available on the '" + runtime() + "' runtime");
    }

    // ---- emitters

    /** A new emitter whose warnings go to {@link #emitWarning}. */
    default EventEmitter newEmitter() {
        return new EventEmitter().onWarning(this::emitWarning);
    }

    // ---- process warnings

    /**
     * {@code process.emitWarning(warning)}: the {@link #onWarning} hook gets it on the next tick (a
     * nextTick queued now), or it is printed on stderr as Node's default listener prints it.
     */
    void emitWarning(Warning warning);

    /** {@code process.on('warning')}; {@code null} restores Node's default: a line on stderr. */
    void onWarning(java.util.function.Consumer<Warning> hook);

    // ---- from any thread

    /** Thread-safe: runs {@code callback} on the loop as a poll-phase callback. Never lost, never run twice. */
    void execute(Runnable callback);

    /**
     * Keeps the loop alive while it is open, like an open handle (a server socket, a timer):
     * use it when other threads will {@link #execute} work. Thread-safe; close it to let the loop end.
     */
    AutoCloseable keepAlive();

    /**
     * {@code node script.js}: runs {@code main} as the script body, then runs the loop until nothing
     * is pending. Called from outside the loop; returns when the loop ends. If the loop stopped on a
     * fatal error (an uncaught exception with Node's default handler) that error is thrown.
     */
    void run(Runnable main);

    /** The loop's current time in ms (libuv's cached loop time). */
    long now();

    // ---- error hooks

    /** {@code process.on('uncaughtException')}; {@code null} restores Node's default: the loop stops and run() throws. */
    void onUncaughtException(ErrorHook hook);

    /** {@code process.on('unhandledRejection')}; {@code null} restores Node's default: an uncaught exception. */
    void onUnhandledRejection(RejectionHook hook);

    /**
     * {@code process.on('rejectionHandled')}: a promise already reported as unhandled got a handler;
     * the hook runs at the next rejection check (after the nextTick and microtask queues drained),
     * before that check reports new rejections. {@code null} restores Node's default: a
     * {@code PromiseRejectionHandledWarning} through {@link #emitWarning}.
     */
    void onRejectionHandled(java.util.function.Consumer<Promise<?>> hook);

    /**
     * {@code process.on('beforeExit')}: runs on the loop each time it has nothing left; work the hook
     * schedules restarts the loop, and the hook runs again when it empties again. Set before run().
     */
    void onBeforeExit(Runnable hook);

    /**
     * {@code process.on('exit')}: runs once on the loop, after the last 'beforeExit'. A nextTick it
     * queues never runs, its microtasks do, and other work it schedules is abandoned. Set before run().
     */
    void onExit(Runnable hook);

    /** What the loop counted: callbacks, jobs, time spent in callbacks. Owner or not, best effort. */
    LoopStats stats();

    /**
     * Stops the loop and ends every thread it started. From outside: waits (bounded) until they
     * have ended; pending timers and immediates are dropped, parked awaits are resumed with a
     * {@link LoopClosedException}, running offloads are interrupted. From inside a callback: the
     * loop stops after that callback and the threads end shortly after. Idempotent.
     */
    @Override
    void close();

    boolean isClosed();

    @FunctionalInterface
    interface PromiseExecutor<T> {
        void execute(Promise.Resolvers<T> resolvers) throws Throwable;
    }

    @FunctionalInterface
    interface ErrorHook {
        void uncaught(Object error);
    }

    @FunctionalInterface
    interface RejectionHook {
        void unhandled(Object reason, Promise<?> promise);
    }
}
