package loopbench.bench.soak;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import loopbench.bench.backend.DelayBackend;
import loopbench.core.AwaitingEventLoop;
import loopbench.core.EventEmitter;
import loopbench.core.EventLoop;
import loopbench.core.LoopStats;
import loopbench.core.Promise;
import loopbench.core.Timeout;
import loopbench.core.io.Connection;

/**
 * A steady churn of short operations on one loop, each of which creates and lets go of what a
 * long-running Node process creates all the time, so that anything the runtime keeps by mistake
 * accumulates and shows in the heap or the thread count.
 *
 * <p>A driver thread submits {@code rate} operations per second with {@code loop.execute} (the
 * cross-thread path), in a batch every {@link #TICK_MILLIS} ms on a fixed schedule. Operation
 * {@code i} is {@link Kind#TCP} when {@code i % TCP_EVERY == TCP_EVERY - 1} (connections are slow
 * and each leaves a socket in TIME_WAIT, so they are kept to about rate/64 per second), otherwise
 * kind {@code i % 7} of the other kinds:
 * <ul>
 *   <li>TIMERS: a 10-minute timer cleared at once, a 30 s timer cleared 2 ms later by another timer, a 0 ms timer;
 *   <li>INTERVAL: a 1 ms interval that clears itself after 3 runs, and an unref'd 10-minute timer it clears;
 *   <li>JOBS: an immediate, a cleared immediate, a nextTick, a microtask;
 *   <li>PROMISES: a then/thenCompose chain ending in a handled rejection with finally; all, allSettled and
 *       any over fulfilled, rejected and later-settled promises; an executor that throws;
 *   <li>ASYNC: an async body awaiting an offload, a timer, and a rejection it catches (loom, threadpool);
 *       the same steps as a promise chain on the loop runtime, which cannot await;
 *   <li>OFFLOAD: work on the offload pool that also submits {@code loop.execute} from the worker thread;
 *   <li>EMITTER: listeners added to and removed from a long-lived emitter (on, once, off), and a
 *       short-lived emitter with an error listener;
 *   <li>TCP: connect to the in-process {@link DelayBackend}, two request/answer round trips, close
 *       (in an async body on loom and threadpool, a promise chain on loop).
 * </ul>
 *
 * <p>Invariants: every counter here is written by the loop's owner only (the driver only submits),
 * and is read by others through {@link #snapshot} (on the loop) or after the loop has ended. An
 * operation counts as completed exactly once, when all of its parts have run; anything unexpected
 * (a cleared timer firing, a wrong value, a rejection nobody expected, an uncaught exception, an
 * unhandled rejection) counts as an error and its first messages are kept; work the runtime refuses to start
 * (RejectedExecutionException: the threadpool runtime's PoolExhaustedException) is counted apart, as refused
 * (see {@link #unexpected}). Every thread started
 * here (the loop's runner and the driver) has ended when {@link #stop} returns.
 */
final class Churn {
    static final int TCP_EVERY = 64;
    static final int TICK_MILLIS = 10;
    static final long LONG_TIMER_MS = 10 * 60_000;
    /** Past this many operations in flight the loop is not keeping up: the driver stops adding, and says so. */
    static final long MAX_IN_FLIGHT = 50_000;

    private static final int MAX_MESSAGES = 10;
    private static final int TCP_DELAY_MICROS = 500;
    private static final int TCP_ANSWER_BYTES = 64;

    enum Kind {
        TIMERS,
        INTERVAL,
        JOBS,
        PROMISES,
        ASYNC,
        OFFLOAD,
        EMITTER,
        TCP
    }

    private static final Kind[] ROTATION = {
        Kind.TIMERS, Kind.INTERVAL, Kind.JOBS, Kind.PROMISES, Kind.ASYNC, Kind.OFFLOAD, Kind.EMITTER
    };

    /** The rejection reason every operation expects and handles; one instance, so rejecting costs no stack trace. */
    static final RuntimeException EXPECTED = new RuntimeException("expected rejection", null, false, false) {};

    /** What the sampler reads, taken on the loop. */
    record Snapshot(
            long started,
            long completed,
            long errors,
            int parkedBodies,
            int openHandles,
            int emitterListeners,
            LoopStats stats) {}

    private final EventLoop loop;
    private final int backendPort;
    private final double rate;
    private final AutoCloseable alive;
    private final Thread runner;
    private final Thread driver;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean fellBehind;
    private volatile Throwable runFailure;
    private final double rampSeconds;
    private long submitted; // driver thread only

    // owner-only
    private EventEmitter shared;
    private long started;
    private long completed;
    private long errors;
    private long heard;
    private long refused;
    private final long[] byKind = new long[Kind.values().length];
    private final List<String> messages = new ArrayList<>();

    /** Starts the loop on a thread of its own and the driver; returns once the loop runs. */
    Churn(EventLoop loop, int backendPort, double rate, double rampSeconds) throws InterruptedException {
        this.loop = loop;
        this.backendPort = backendPort;
        this.rate = rate;
        this.rampSeconds = rampSeconds;
        loop.onUncaughtException(e -> error("uncaught exception: " + e));
        loop.onUnhandledRejection((reason, p) -> error("unhandled rejection: " + reason));
        alive = loop.keepAlive(); // the driver's submissions come from another thread
        runner = Thread.ofPlatform().name("loopbench-soak-loop").start(() -> {
            try {
                loop.run(() -> {
                    shared = loop.newEmitter();
                    ready.countDown();
                });
            } catch (Throwable t) {
                runFailure = t;
                ready.countDown();
            }
        });
        if (!ready.await(30, TimeUnit.SECONDS) || runFailure != null) {
            loop.close();
            throw new IllegalStateException(
                    "the " + loop.runtime() + " loop did not start: "
                            + (runFailure != null ? runFailure : "no start within 30 s"),
                    runFailure);
        }
        driver = Thread.ofPlatform().name("loopbench-soak-driver").start(this::drive);
    }

    /**
     * The driver: a fixed schedule of {@code rate} submissions per second, caught up in batches. The
     * rate ramps up linearly over the first {@code rampSeconds}: at full rate from the first
     * millisecond, a cold JVM's backlog would start hundreds of async bodies at once.
     */
    private void drive() {
        long t0 = System.nanoTime();
        while (!stopping) {
            double t = (System.nanoTime() - t0) / 1e9;
            long due = (long) (rate * (t >= rampSeconds ? t - rampSeconds / 2 : t * t / (2 * rampSeconds)));
            for (; submitted < due && !stopping; submitted++) {
                if (fellBehind) {
                    submitted = due; // skip, do not queue: the verdict reports it as an error
                    break;
                }
                loop.execute(this::step);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
        }
    }

    /** One operation, on the loop. */
    private void step() {
        long i = started++;
        if (i - completed > MAX_IN_FLIGHT && !fellBehind) {
            fellBehind = true;
            error("the loop fell behind: " + (i - completed)
                    + " operations in flight; the driver stopped adding (lower --rate)");
        }
        Kind kind = i % TCP_EVERY == TCP_EVERY - 1 ? Kind.TCP : ROTATION[(int) (i % ROTATION.length)];
        byKind[kind.ordinal()]++;
        try {
            switch (kind) {
                case TIMERS -> timers();
                case INTERVAL -> interval();
                case JOBS -> jobs();
                case PROMISES -> promises();
                case ASYNC -> async();
                case OFFLOAD -> offload();
                case EMITTER -> emitter();
                case TCP -> tcp(i);
            }
        } catch (RuntimeException e) {
            error(kind + " threw " + e);
            completed++; // counted so that a broken kind does not look like a backlog
        }
    }

    /** An operation made of {@code n} parts: complete when each has run once. */
    private Runnable parts(int n) {
        int[] left = {n};
        return () -> {
            if (--left[0] == 0) completed++;
            else if (left[0] < 0) error("a part of an operation ran twice");
        };
    }

    private void timers() {
        Runnable done = parts(2);
        loop.clearTimeout(loop.setTimeout(() -> error("a cleared 10-minute timer fired"), LONG_TIMER_MS));
        Timeout pending = loop.setTimeout(() -> error("a cleared 30 s timer fired"), 30_000);
        loop.setTimeout(
                () -> {
                    loop.clearTimeout(pending);
                    done.run();
                },
                2);
        loop.setTimeout(done, 0);
    }

    private void interval() {
        Timeout unrefed = loop.setTimeout(() -> error("a cleared unref'd timer fired"), LONG_TIMER_MS);
        loop.setRefed(unrefed, false);
        int[] runs = {0};
        Timeout[] interval = new Timeout[1];
        interval[0] = loop.setInterval(
                () -> {
                    if (++runs[0] == 3) {
                        loop.clearInterval(interval[0]);
                        loop.clearTimeout(unrefed);
                        completed++;
                    } else if (runs[0] > 3) {
                        error("a cleared interval ran again");
                    }
                },
                1);
    }

    private void jobs() {
        Runnable done = parts(3);
        loop.clearImmediate(loop.setImmediate(() -> error("a cleared immediate ran")));
        loop.setImmediate(done);
        loop.nextTick(done);
        loop.queueMicrotask(done);
    }

    private void promises() {
        Runnable done = parts(4);
        loop.<Integer>resolved(1)
                .then(x -> x + 1)
                .thenCompose(this::later)
                .then(x -> {
                    if (x != 2) error("a promise chain computed " + x + ", expected 2");
                    throw EXPECTED;
                })
                .catchError(this::expectRejection)
                .onFinally(v -> {
                    done.run();
                    return null;
                });
        loop.all(List.of(loop.resolved(1), later(2), 3))
                .then(
                        values -> {
                            if (!values.equals(List.of(1, 2, 3)))
                                error("Promise.all gave " + values + ", expected [1, 2, 3]");
                            done.run();
                            return null;
                        },
                        this::unexpected);
        loop.allSettled(List.of(loop.rejected(EXPECTED), later(1)))
                .thenCompose(results -> {
                    if (results.size() != 2)
                        error("Promise.allSettled gave " + results.size() + " results, expected 2");
                    return loop.any(List.of(loop.rejected(EXPECTED), later(4)));
                })
                .then(
                        v -> {
                            if (!Integer.valueOf(4).equals(v)) error("Promise.any gave " + v + ", expected 4");
                            done.run();
                            return null;
                        },
                        this::unexpected);
        loop.<Object>newPromise(r -> {
                    throw EXPECTED;
                })
                .catchError(e -> {
                    expectRejection(e);
                    done.run();
                    return null;
                });
    }

    private void async() {
        Promise<Integer> result;
        if (loop.canAwait()) {
            result = loop.async(() -> {
                Integer v = loop.await(loop.offload(() -> 21 * 2));
                loop.await(timer(1));
                try {
                    loop.await(loop.rejected(EXPECTED));
                    error("await of a rejected promise returned");
                } catch (RuntimeException e) {
                    expectRejection(e);
                }
                return v;
            });
        } else {
            result = loop.offload(() -> 21 * 2)
                    .thenCompose(v -> timer(1).then(ignored -> v))
                    .thenCompose(v -> loop.<Integer>rejected(EXPECTED).then(x -> -1, e -> {
                        expectRejection(e);
                        return v;
                    }));
        }
        result.then(
                v -> {
                    if (v != 42) error("an async body returned " + v + ", expected 42");
                    completed++;
                    return null;
                },
                this::unexpected);
    }

    private void offload() {
        Runnable done = parts(2);
        loop.offload(() -> {
                    long sum = 0;
                    for (int k = 0; k < 200; k++) sum += k;
                    loop.execute(done); // from the worker thread
                    return sum;
                })
                .then(
                        sum -> {
                            if (sum != 19_900) error("an offload computed " + sum + ", expected 19900");
                            done.run();
                            return null;
                        },
                        this::unexpected);
    }

    private void emitter() {
        long before = heard;
        Consumer<Object> listener = v -> heard++;
        shared.on("tick", listener);
        shared.once("tick", v -> heard++);
        shared.emit("tick", null);
        shared.emit("tick", null); // the once listener is gone: only `listener` hears this one
        shared.off("tick", listener);
        EventEmitter local = loop.newEmitter();
        local.on("error", v -> heard++);
        local.emit("error", EXPECTED);
        local.removeAllListeners();
        if (heard - before != 4) error("emitters delivered " + (heard - before) + " events, expected 4");
        completed++;
    }

    private void tcp(long id) {
        byte[] request = ByteBuffer.allocate(16)
                .putInt(TCP_DELAY_MICROS)
                .putInt(TCP_ANSWER_BYTES)
                .putLong(id)
                .array();
        Promise<Object> result;
        if (loop.canAwait()) {
            result = loop.async(() -> {
                Connection c = loop.await(loop.net().connect("127.0.0.1", backendPort));
                try {
                    for (int k = 0; k < 2; k++) {
                        loop.await(c.writeFrame(request));
                        checkAnswer(loop.await(c.readFrame(5_000)), id);
                    }
                } finally {
                    c.close();
                }
                return null;
            });
        } else {
            result = loop.net()
                    .connect("127.0.0.1", backendPort)
                    .thenCompose(c -> roundTrip(c, request, id)
                            .thenCompose(ignored -> roundTrip(c, request, id))
                            .onFinally(ignored -> {
                                c.close();
                                return null;
                            }));
        }
        result.then(
                v -> {
                    completed++;
                    return null;
                },
                this::unexpected);
    }

    private Promise<Object> roundTrip(Connection c, byte[] request, long id) {
        return c.writeFrame(request).thenCompose(ignored -> c.readFrame(5_000)).then(answer -> {
            checkAnswer(answer, id);
            return null;
        });
    }

    private void checkAnswer(byte[] answer, long id) {
        if (answer.length != TCP_ANSWER_BYTES || ByteBuffer.wrap(answer).getLong() != id) {
            error("the backend's answer was " + answer.length + " bytes for another request, expected "
                    + TCP_ANSWER_BYTES + " echoing " + id);
        }
    }

    /** A promise fulfilled with {@code value} from an immediate. */
    private <T> Promise<T> later(T value) {
        Promise.Resolvers<T> d = loop.deferred();
        loop.setImmediate(() -> d.resolve(value));
        return d.promise();
    }

    private Promise<Object> timer(int ms) {
        Promise.Resolvers<Object> d = loop.deferred();
        loop.setTimeout(() -> d.resolve(null), ms);
        return d.promise();
    }

    private Object expectRejection(Object reason) {
        if (reason != EXPECTED) error("a rejection with " + reason + ", expected the churn's own");
        return null;
    }

    /**
     * A rejection handler for promises that should fulfil: the operation still completes, as an
     * error; but a bounded pool refusing work when all its threads are blocked is the threadpool
     * runtime's documented overload answer (a burst after a stall), not a fault: counted apart.
     */
    private Object unexpected(Object reason) {
        if (reason instanceof RejectedExecutionException) refused++; // threadpool: PoolExhaustedException
        else error("unexpected rejection: " + reason);
        completed++;
        return null;
    }

    private void error(String message) {
        errors++;
        if (messages.size() < MAX_MESSAGES) messages.add(message);
    }

    /** The figures, read on the loop; null if the loop did not answer within {@code timeoutMillis}. */
    Snapshot snapshot(long timeoutMillis) throws InterruptedException {
        CompletableFuture<Snapshot> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(snapshotOnLoop()));
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("taking a snapshot on the loop failed", e.getCause());
        }
    }

    private Snapshot snapshotOnLoop() {
        int parked = loop instanceof AwaitingEventLoop a ? a.parkedBodies() : 0;
        return new Snapshot(
                started,
                completed,
                errors,
                parked,
                loop.net().openHandles(),
                shared.listenerCount("tick"),
                loop.stats());
    }

    /** How the churn stopped: whether every operation finished, and whether the loop then ended by itself. */
    record Stopped(boolean drained, long inFlightLeft, boolean loopEndedByItself) {}

    /**
     * Stops the driver, waits up to {@code drainMillis} for the operations in flight to finish, lets
     * go of the keep-alive and waits up to {@code drainMillis} for the loop to end by itself (nothing
     * referenced may be left: cleared and unref'd timers, closed sockets), then closes the loop.
     * Every thread this class started has ended when it returns.
     */
    Stopped stop(long drainMillis) throws InterruptedException {
        stopping = true;
        driver.join();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
        long inFlight = -1;
        while (System.nanoTime() < deadline) {
            Snapshot s = snapshot(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (s == null) break;
            inFlight = s.started() - s.completed();
            if (inFlight == 0) break;
            Thread.sleep(20); // polling a condition (timers of up to 30 s are cleared by then), not ordering
        }
        try {
            alive.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the keep-alive failed", e);
        }
        runner.join(drainMillis);
        boolean endedByItself = !runner.isAlive();
        loop.close();
        runner.join();
        return new Stopped(inFlight == 0, inFlight, endedByItself);
    }

    // read after stop(): the runner has ended, so its writes are visible (Thread.join)

    long started() {
        return started;
    }

    long completed() {
        return completed;
    }

    long errors() {
        return errors;
    }

    /** Operations the runtime refused to start (RejectedExecutionException: the threadpool runtime's PoolExhaustedException). */
    long refused() {
        return refused;
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    /** Operations started per kind, in {@link Kind} order. */
    long[] byKind() {
        return byKind.clone();
    }

    boolean fellBehind() {
        return fellBehind;
    }

    Throwable runFailure() {
        return runFailure;
    }
}
