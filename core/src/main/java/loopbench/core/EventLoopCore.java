package loopbench.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Function;
import loopbench.core.io.BlockingCalls;
import loopbench.core.io.Net;
import loopbench.core.io.NetCore;
import loopbench.core.io.Transport;

/**
 * Node's event loop, once for every runtime: libuv's phases, Node's timer lists, the nextTick and
 * microtask queues drained after every callback, immediates, unhandled-rejection tracking and the
 * error hooks. A runtime passes in only what differs about its model, as Netty's
 * {@code SingleThreadIoEventLoop} is given an {@code IoHandler}: its {@link LoopThreads} (which
 * thread drives the loop, where off-loop work and async bodies run) and its {@link Transport} (how
 * the poll phase waits for and dispatches I/O); a runtime whose {@code await} blocks extends
 * {@link AwaitingEventLoop}. Work requests are {@link WorkRequests}, files {@link FileOperations},
 * TCP {@link NetCore}, and what the blocked-loop checker remembers is a {@link BlockedLoopDetector.Watch}.
 *
 * <p>Algorithm: {@link #runPhases} is libuv 1.46's {@code uv_run(UV_RUN_DEFAULT)}
 * (src/unix/core.c): due timers once, then per iteration pending/idle/prepare (nothing to do in
 * this model), poll (cross-thread submissions and I/O completions, sleeping until the nearest
 * timer when nothing else is ready), check (immediates), close callbacks, timers. Every
 * macrotask callback is followed by {@link #drain}: nextTicks, then all microtasks, again while
 * either queue refills or a rejection was reported (Node's processTicksAndRejections, rule 4-6).
 *
 * <p>Invariants: loop state is touched only by the owner, the thread currently holding the loop
 * (checked on every scheduling call); other threads reach the loop only through the inbox, a
 * lock-free queue whose submissions are never lost: the poller publishes {@code sleeping} before
 * its last look at the inbox, and a submitter reads it after enqueueing (a Dekker pair on
 * volatiles), so one of the two always sees the other.
 *
 * <p>Fields: "owner-only" ones are touched only by the thread holding the loop; the others say how
 * they are guarded where they are declared.
 */
public abstract class EventLoopCore implements EventLoop {
    private static final long NO_TIMEOUT = -1;
    private static final int INBOX_BATCH = 1024; // per poll phase, as Node's MessagePort caps a drain

    /** The immediate Node's uncaught-exception handler queues (see reportUncaught). */
    private static final Runnable NOOP = () -> {};

    /** Thrown through a timer batch to abandon it once the loop must stop. */
    private static final RuntimeException STOP = new RuntimeException("loop stopping", null, false, false) {};

    // ---- owner-only state
    final TimerList timers = new TimerList();
    final ImmediateQueue immediates = new ImmediateQueue();
    final JobQueue<Runnable> ticks = new JobQueue<>();
    final JobQueue<Object> microtasks = new JobQueue<>(); // Runnables and PromiseJobs
    final RejectionTracker rejections = new RejectionTracker();
    private final long timeBase = System.nanoTime();
    private long loopTime; // ms since timeBase, libuv's cached loop->time
    volatile Thread owner; // the thread that may touch loop state now (read by the blocked-loop checker)
    private ErrorHook uncaughtHook;
    private RejectionHook rejectionHook;
    private Runnable beforeExitHook, exitHook; // set before run()
    private java.util.function.Consumer<Warning> warningHook;
    private java.util.function.Consumer<Promise<?>> rejectionHandledHook;
    private boolean exiting; // Node's process._exiting: the 'exit' event is under way, nextTick is a no-op
    private Throwable fatal; // written by the owner, read by run() after the driver ended
    private long statMacrotasks, statJobs, statIterations, statUncaught, statUnhandled;
    private volatile long statIdleNanos; // owner-written, read by stats() from any thread
    private final TimerRunner timerRunner = new TimerRunner();
    private final RejectionReporter rejectionReporter = new RejectionReporter();
    private long callbackSeq; // sequence number of the running macrotask, 0 between them (opaque writes)
    private static final java.lang.invoke.VarHandle CALLBACK_SEQ, STOP_REQUESTED;

    static {
        try {
            CALLBACK_SEQ = java.lang.invoke.MethodHandles.lookup()
                    .findVarHandle(EventLoopCore.class, "callbackSeq", long.class);
            STOP_REQUESTED = java.lang.invoke.MethodHandles.lookup()
                    .findVarHandle(EventLoopCore.class, "stopRequested", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- shared with other threads
    private final ConcurrentLinkedQueue<Runnable> inbox =
            new ConcurrentLinkedQueue<>(); // lock-free: any thread adds, the owner takes
    private final java.util.concurrent.atomic.AtomicLong posted =
            new java.util.concurrent.atomic.AtomicLong(); // bumped after each add
    private long taken; // inbox entries the poll phase has taken (owner-only)
    private final AtomicInteger keepAlives = new AtomicInteger(); // open keepAlive() handles, any thread
    private volatile Thread poller; // the driver while it sleeps in poll (the Dekker pair with inbox)
    private volatile boolean stopRequested; // set by close() or a fatal error; read plainly between callbacks
    private volatile boolean closeRequested; // set once, by close()
    private final AtomicBoolean running = new AtomicBoolean(); // a run() is under way (CAS by run())
    private final AtomicBoolean closeStarted = new AtomicBoolean(); // who finishes the close (CAS)
    private final CountDownLatch closed = new CountDownLatch(1); // the close has finished
    private volatile CountDownLatch runDone; // the current run()'s driver has ended
    final LoopOptions options; // immutable

    // ---- what the runtime passed in, and the parts built on it
    final LoopThreads threads; // thread-safe (the runtime's contract)
    private final Transport transport; // owner-only, except wakeup and shutdown
    private final WorkRequests requests; // owner-only; completions come back through the inbox
    private final FileOperations files; // owner-only, stateless
    private final NetCore net; // owner-only, except shutdown
    private final BlockedLoopDetector.Watch watch = new BlockedLoopDetector.Watch(this); // the checker's thread

    /**
     * @param options   the loop's settings
     * @param threads   the runtime's threads: the driver, offloads and (with a blocking await) async bodies
     * @param transport builds the runtime's transport from what the loop lends it
     */
    protected EventLoopCore(LoopOptions options, LoopThreads threads, Function<Transport.Host, Transport> transport) {
        this.options = Objects.requireNonNull(options, "options");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.requests = new WorkRequests(threads, this::post);
        this.files = new FileOperations(requests);
        this.transport = Objects.requireNonNull(transport.apply(new TransportHost()), "transport");
        this.net = new NetCore(this, this::checkOwner, requests, this.transport);
    }

    /** What the transport may ask of the loop. */
    private final class TransportHost implements Transport.Host {
        @Override
        public void runCallback(Runnable callback) {
            runMacrotask(callback);
        }

        @Override
        public boolean stopping() {
            return stopRequested;
        }

        @Override
        public BlockingCalls blockingCalls() {
            return requests;
        }
    }

    // =================================================================== the loop

    /** Runs the script body, then the phases until nothing is pending: {@code node script.js}. */
    private void driverMain(Runnable main) {
        owner = Thread.currentThread();
        enterDriver();
        if (options.blockedThresholdMillis() > 0) BlockedLoopDetector.register(watch);
        try {
            updateTime();
            runMain(main);
            runPhases();
            runExit();
        } finally {
            markIdle();
            BlockedLoopDetector.unregister(watch);
            transport.runEnded();
            exitDriver();
            owner = null;
        }
    }

    /** libuv 1.46 uv_run(UV_RUN_DEFAULT), one phase a line. */
    private void runPhases() {
        boolean alive = isAlive();
        if (alive && !stopRequested) {
            updateTime();
            runTimers(); // due timers once before the first iteration
        }
        while (alive && !stopRequested) {
            statIterations++;
            // pending, idle, prepare: this model defers no I/O callbacks, and has no idle/prepare handles
            poll(pollTimeout()); // submissions and I/O completions; sleeps if nothing is ready
            runImmediates(); // check
            runClosing(); // close callbacks
            updateTime();
            runTimers(); // timers
            alive = isAlive();
        }
    }

    /**
     * node.cc SpinEventLoop: each time the loop empties, 'beforeExit' is emitted (ProcessEmit, a
     * callback whose scope drains); work it scheduled restarts the loop, and 'beforeExit' comes
     * again when it empties again. Then 'exit' (EmitProcessExitInternal): process._exiting is set
     * first, so its nextTicks never run (lib/internal/process/task_queues.js), its microtasks still
     * drain, and anything else it schedules is abandoned with the process.
     */
    private void runExit() {
        while (beforeExitHook != null && !stopRequested) {
            runMacrotask(beforeExitHook);
            if (!isAlive()) break;
            runPhases();
        }
        if (exitHook == null || stopRequested) return;
        exiting = true;
        runMacrotask(exitHook);
    }

    /** uv__loop_alive: referenced timers, referenced immediates, requests in flight, open keep-alive handles, submissions. */
    private boolean isAlive() {
        return timers.hasRefed()
                || immediates.hasRefed() // Node's immediate idle handle is active while kRefCount > 0
                || requests.inFlight() > 0
                || keepAlives.get() > 0
                || !inbox.isEmpty()
                || net.hasLiveHandles();
    }

    /** uv__backend_timeout: 0 when something is ready, else until the nearest timer, else forever. */
    private long pollTimeout() {
        if (stopRequested || immediates.hasRefed() || !inbox.isEmpty()) return 0;
        if (!isAlive()) return 0;
        long next = timers.nextExpiry();
        return next == Long.MAX_VALUE ? NO_TIMEOUT : Math.max(0, next - loopTime);
    }

    /** Node's RunTimers: processTimers, re-entered after a throw, inside one callback scope. */
    private void runTimers() {
        if (timers.nextExpiry() > loopTime) return;
        for (; ; ) {
            try {
                timers.processTimers(loopTime, timerRunner);
                break;
            } catch (Throwable t) {
                if (t == STOP) return;
                reportUncaught(t);
                if (stopRequested) return;
            }
        }
        closeScope();
    }

    private final class TimerRunner implements TimerList.Runner {
        @Override
        public void runNextTicks() {
            drain();
        }

        @Override
        public void fire(Timeout t) {
            if (stopRequested) throw STOP;
            beginCallback();
            t.callback.run();
        }

        @Override
        public long now() {
            return updateTime();
        }
    }

    /**
     * The check phase. Node first closes a callback scope (RunAndClearNativeImmediates), which
     * drains what a failed callback left queued; then processImmediate runs a snapshot of the queue
     * (rule 12), re-entered after a throw so that the next immediate runs before the thrower's ticks.
     */
    private void runImmediates() {
        closeScope();
        boolean failed;
        do {
            long snapshot = immediates.size();
            boolean ranAtLeastOne = false;
            failed = false;
            for (; snapshot > 0 && !stopping(); snapshot--) {
                if (ranAtLeastOne) {
                    try {
                        drain();
                    } catch (Throwable t) {
                        reportUncaught(t); // processImmediate is re-entered: the next one runs, with no drain first
                    }
                }
                ranAtLeastOne = true;
                Runnable callback = immediates.take();
                if (callback != null) {
                    beginCallback();
                    try {
                        callback.run();
                        failed = false;
                    } catch (Throwable t) {
                        reportUncaught(t);
                        ranAtLeastOne = false;
                        failed = true;
                    }
                }
            }
            // The last callback threw: kHasOutstanding stays set, so Node's CheckImmediate calls
            // processImmediate again, which takes the queue as it is now, in this same check phase.
        } while (failed && !stopRequested);
        if (!stopRequested) closeScope();
    }

    /**
     * The poll phase: runs the submissions and completions that were ready when it looked, after
     * sleeping up to {@code timeoutMs}. What arrives while they run waits for the next iteration,
     * as events do for the next epoll_wait: a chain of requests advances one step per iteration.
     */
    private void poll(long timeoutMs) {
        if (timeoutMs != 0 && inbox.isEmpty()) sleep(timeoutMs);
        transport.poll();
        long ready = Math.min(posted.get() - taken, INBOX_BATCH);
        for (long n = 0; n < ready && !stopRequested; n++) {
            Runnable task = inbox.poll();
            if (task == null) break; // counted but not yet linked: next iteration
            taken++;
            runMacrotask(task);
        }
    }

    /** Sleeps until a submission, a wake-up, or {@code timeoutMs} (NO_TIMEOUT: forever). */
    private void sleep(long timeoutMs) {
        markIdle();
        poller = Thread.currentThread();
        // With no timer, no keep-alive and no open handle, only this loop's own requests can wake it.
        // The threadpool runtime counts such a thread as blocked: if its requests are queued behind
        // blocked threads, nothing will ever wake it.
        boolean onlyRequests = timeoutMs == NO_TIMEOUT && keepAlives.get() == 0 && !net.hasLiveHandles();
        if (onlyRequests) threads.enterBlocked();
        try {
            if (!inbox.isEmpty() || stopRequested) return; // re-check after publishing `poller`
            // Two clock reads per sleep, none per callback: the cost lands where the loop has nothing to do.
            long asleep = System.nanoTime();
            if (timeoutMs == NO_TIMEOUT) {
                awaitIo(Long.MAX_VALUE);
            } else {
                long left = timeBase + (loopTime + timeoutMs) * 1_000_000L - asleep;
                if (left > 0) awaitIo(left);
            }
            statIdleNanos += System.nanoTime() - asleep;
        } finally {
            if (onlyRequests) threads.exitBlocked();
            poller = null;
        }
    }

    /** Blocks the poll phase for up to {@code nanos} ({@code Long.MAX_VALUE}: no limit) or until {@link #wakeup}. */
    private void awaitIo(long nanos) {
        if (transport.await(nanos)) return;
        // A park may return for no reason of ours: spuriously, or on a permit a token hand-off left this
        // thread (loom, threadpool). So park again for what is left until a wake-up's cause is visible,
        // as uv__io_poll recomputes its timeout and waits again after an early return.
        if (nanos == Long.MAX_VALUE) {
            while (inbox.isEmpty() && !stopRequested) LockSupport.park(this);
            return;
        }
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && inbox.isEmpty() && !stopRequested; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }

    /** Wakes the poll phase from another thread. */
    private void wakeup() {
        if (transport.wakeup()) return;
        Thread t = poller;
        if (t != null) LockSupport.unpark(t);
    }

    private void runClosing() {
        // No handle in this model has a close callback of its own yet; sockets close synchronously.
    }

    /**
     * One macrotask: the callback, then its scope's drain (Node's InternalCallbackScope). A
     * callback that throws is reported and its scope fails: what it queued waits for the next drain,
     * so in Node the next I/O callback of the same poll runs before the thrower's nextTicks.
     */
    private void runMacrotask(Runnable callback) {
        beginCallback();
        try {
            callback.run();
        } catch (Throwable t) {
            reportUncaught(t);
            return;
        }
        closeScope();
    }

    /**
     * The script body: its queues drain even after it threw (Node's main module). It is a callback
     * like any other, so the blocked-loop checker sees a body (or its drain) that holds the loop.
     */
    private void runMain(Runnable main) {
        beginCallback();
        try {
            main.run();
        } catch (Throwable t) {
            reportUncaught(t);
        }
        if (!stopRequested) closeScope();
    }

    /**
     * {@code stopRequested} read plainly, between callbacks of a batch: the owner sees its own stop
     * (close() or a fatal error from a callback) at once; another thread's is seen by the next phase
     * at the latest, where the volatile read is. A volatile read per callback costs a compiler barrier.
     */
    private boolean stopping() {
        return (boolean) STOP_REQUESTED.get(this);
    }

    /**
     * Marks a macrotask's start for the blocked-loop checker: a sequence number, not a clock read,
     * which would cost about 20 ns per callback; the checker times a number it keeps seeing. The
     * number stands until the next callback starts or the loop goes idle ({@link #markIdle}): its
     * scope's drain belongs to it, and one store per callback is half the cost of two.
     */
    private void beginCallback() {
        CALLBACK_SEQ.setOpaque(this, ++statMacrotasks); // the macrotask count is the sequence number
    }

    /** Nothing runs: the loop sleeps in poll, or the driver has stopped. */
    private void markIdle() {
        CALLBACK_SEQ.setOpaque(this, 0L);
    }

    /** The running macrotask's sequence number, 0 while the loop is idle (read by the blocked-loop checker). */
    final long runningCallback() {
        return (long) CALLBACK_SEQ.getOpaque(this);
    }

    /**
     * Node's processTicksAndRejections: all nextTicks, then all microtasks, again while either
     * queue refilled or a rejection was reported. A throwing nextTick leaves it (the rest wait for
     * the next drain); a throwing microtask is reported and the queue goes on (rule 14).
     */
    final void drain() {
        // Most callbacks queue nothing: a check small enough to inline, before the loop that is not.
        if (ticks.isEmpty() && microtasks.isEmpty() && !rejections.hasPending()) return;
        drainQueues();
    }

    private void drainQueues() {
        do {
            Runnable tick;
            while ((tick = ticks.poll()) != null) {
                statJobs++;
                tick.run();
            }
            Object job;
            while ((job = microtasks.poll()) != null) {
                statJobs++;
                try {
                    runMicrotask(job);
                } catch (Throwable t) {
                    reportUncaught(t);
                }
            }
        } while (!ticks.isEmpty() || (rejections.hasPending() && rejections.process(rejectionReporter)));
    }

    /** A callback scope's close: drain; a throwing nextTick is reported and ends this drain. */
    private void closeScope() {
        try {
            drain();
        } catch (Throwable t) {
            reportUncaught(t);
        }
    }

    private long updateTime() {
        return loopTime = (System.nanoTime() - timeBase) / 1_000_000L;
    }

    // =================================================================== errors

    final void reportUncaught(Throwable t) {
        if (t == STOP) throw STOP;
        // A callback that calls the loop after close() (from another thread, while it ran) is cut
        // short by the close: that ends the run as close() says, it is no error of the program.
        if (closeRequested && t instanceof LoopClosedException) return;
        statUncaught++;
        Object error = ValueException.reasonOf(t);
        ErrorHook hook = uncaughtHook;
        if (hook == null) {
            fail(t);
            return;
        }
        try {
            hook.uncaught(error);
        } catch (Throwable inHook) {
            fail(inHook); // Node: an exception inside the handler is fatal
            return;
        }
        // Node's handler ends with setImmediate(noop) "to make sure any ticks get processed"
        // (lib/internal/process/execution.js): the loop lives one more check phase, whose scope
        // drains what the failed callback's scope left behind.
        if (!closeRequested) immediates.add(NOOP);
    }

    /** What the rejection check emits, through the process hooks. */
    private final class RejectionReporter implements RejectionTracker.Reporter {
        @Override
        public void unhandled(Object reason, Promise<?> promise) {
            reportUnhandled(reason, promise);
        }

        /**
         * Node's processPromiseRejections: {@code process.emit('rejectionHandled', promise)}, or, with no
         * listener, the PromiseRejectionHandledWarning made when the handler was added.
         */
        @Override
        public void handledLate(Promise<?> promise, long id) {
            java.util.function.Consumer<Promise<?>> hook = rejectionHandledHook;
            if (hook == null) {
                emitWarning(new Warning(
                        "PromiseRejectionHandledWarning",
                        "Promise rejection was handled asynchronously (rejection id: " + id + ")"));
                return;
            }
            try {
                hook.accept(promise);
            } catch (Throwable t) {
                reportUncaught(t);
            }
        }
    }

    private void reportUnhandled(Object reason, Promise<?> promise) {
        statUnhandled++;
        RejectionHook hook = rejectionHook;
        if (hook == null) {
            // Node's default mode 'throw': the reason becomes an uncaught exception.
            reportUncaught(reason instanceof Throwable t ? t : new UnhandledRejectionException(reason));
            return;
        }
        try {
            hook.unhandled(reason, promise);
        } catch (Throwable t) {
            reportUncaught(t);
        }
    }

    private void fail(Throwable t) {
        if (fatal == null) fatal = t;
        stopRequested = true;
    }

    /** A rejection nobody handled, with Node's default handler: run() throws it. */
    public static final class UnhandledRejectionException extends RuntimeException {
        private final transient Object reason;

        public UnhandledRejectionException(Object reason) {
            super("unhandled promise rejection: " + reason);
            this.reason = reason;
        }

        public Object reason() {
            return reason;
        }
    }

    /** The loop stopped on an error no hook handled (Node would have exited with code 1). */
    public static final class FatalLoopException extends RuntimeException {
        public FatalLoopException(Throwable cause) {
            super("the loop stopped on an uncaught error: " + describe(cause), cause);
        }

        private static String describe(Throwable t) {
            return t instanceof ValueException v ? String.valueOf(v.value()) : t.toString();
        }
    }

    @Override
    public void onUncaughtException(ErrorHook hook) {
        this.uncaughtHook = hook;
    }

    @Override
    public void onUnhandledRejection(RejectionHook hook) {
        this.rejectionHook = hook;
    }

    @Override
    public void onRejectionHandled(java.util.function.Consumer<Promise<?>> hook) {
        this.rejectionHandledHook = hook;
    }

    @Override
    public void onWarning(java.util.function.Consumer<Warning> hook) {
        this.warningHook = hook;
    }

    /** Node's process.emitWarning: the 'warning' event comes from a nextTick (lib/internal/process/warning.js). */
    @Override
    public void emitWarning(Warning warning) {
        Objects.requireNonNull(warning, "emitWarning: warning is null");
        nextTick(() -> {
            java.util.function.Consumer<Warning> hook = warningHook;
            if (hook != null) hook.accept(warning);
            else System.err.println("(loopbench) " + warning); // Node's default listener: "(node:PID) Type: message"
        });
    }

    @Override
    public void onBeforeExit(Runnable hook) {
        this.beforeExitHook = hook;
    }

    @Override
    public void onExit(Runnable hook) {
        this.exitHook = hook;
    }

    // =================================================================== scheduling API

    /** Throws unless the calling thread owns this loop and it is open. */
    final void checkOwner(String what) {
        if (Thread.currentThread() != owner) {
            if (closeRequested && owner == null) throw new LoopClosedException(what + ": the loop is closed");
            throw new IllegalStateException(
                    what + " called from thread '" + Thread.currentThread().getName() + "', which does not own this "
                            + runtime() + " loop; from other threads, submit work with execute()");
        }
    }

    private void checkSchedule(String what, Object callback) {
        Objects.requireNonNull(callback, () -> what + ": callback is null");
        checkOwner(what);
        if (closeRequested) throw new LoopClosedException(what + " after close(): the loop is closed");
    }

    @Override
    public Timeout setTimeout(Runnable callback, double ms) {
        return addTimer("setTimeout", callback, ms, false);
    }

    @Override
    public Timeout setInterval(Runnable callback, double ms) {
        return addTimer("setInterval", callback, ms, true);
    }

    private Timeout addTimer(String what, Runnable callback, double ms, boolean repeat) {
        checkSchedule(what, callback);
        if (ms > TimerList.TIMEOUT_MAX) emitWarning(TimerList.overflowWarning(ms)); // Node's Timeout constructor
        Timeout t = new Timeout(callback, (int) TimerList.coerceDelay(ms), repeat);
        timers.schedule(t, updateTime()); // getLibuvNow() refreshes the clock (rule 8)
        return t;
    }

    @Override
    public void clearTimeout(Timeout timeout) {
        checkOwner("clearTimeout");
        if (timeout != null) timers.unenroll(timeout); // clearTimeout(undefined) is a no-op in Node
    }

    @Override
    public void setRefed(Timeout timeout, boolean refed) {
        checkOwner("Timeout.ref/unref");
        timers.setRefed(Objects.requireNonNull(timeout, "timeout"), refed);
    }

    @Override
    public void refresh(Timeout timeout) {
        checkOwner("Timeout.refresh");
        timers.refresh(Objects.requireNonNull(timeout, "timeout"), updateTime()); // insert()'s getLibuvNow()
    }

    @Override
    public void setRefed(Immediate immediate, boolean refed) {
        checkOwner("Immediate.ref/unref");
        if (Objects.requireNonNull(immediate, "immediate").queue == immediates)
            immediates.setRefed(immediate.seq, refed);
    }

    @Override
    public Immediate setImmediate(Runnable callback) {
        checkSchedule("setImmediate", callback);
        return new Immediate(immediates, immediates.add(callback));
    }

    @Override
    public void clearImmediate(Immediate immediate) {
        checkOwner("clearImmediate");
        if (immediate != null && immediate.queue == immediates) immediates.clear(immediate.seq);
    }

    @Override
    public void nextTick(Runnable callback) {
        checkSchedule("nextTick", callback);
        if (!exiting) ticks.add(callback);
    }

    @Override
    public void queueMicrotask(Runnable callback) {
        checkSchedule("queueMicrotask", callback);
        microtasks.add(callback);
    }

    final void enqueueMicrotask(Object job) {
        microtasks.add(job);
    }

    /** A promise job, or a queueMicrotask callback. */
    static void runMicrotask(Object job) {
        if (job instanceof PromiseJob j) j.runJob();
        else ((Runnable) job).run();
    }

    /**
     * Takes {@code job} off the microtask queue for the caller to run in place when it is the only
     * one queued, as the drain would run it next (the microtask loop polls until empty; nothing runs
     * between two jobs). False if the queue holds anything but exactly {@code job}.
     */
    final boolean takeSoleMicrotask(Object job) {
        if (microtasks.size() != 1 || microtasks.peek() != job) return false;
        microtasks.poll();
        statJobs++;
        return true;
    }

    @Override
    public <T> Promise<T> newPromise(PromiseExecutor<T> executor) {
        Objects.requireNonNull(executor, "new Promise: executor is null");
        checkOwner("new Promise");
        Promise<T> p = new Promise<>(this);
        try {
            executor.execute(new Promise.Resolvers<>(p));
        } catch (Throwable t) {
            p.rejectFunction(ValueException.reasonOf(t));
        }
        return p;
    }

    @Override
    public <T> Promise.Resolvers<T> deferred() {
        checkOwner("Promise.withResolvers");
        return new Promise.Resolvers<>(new Promise<>(this));
    }

    @Override
    public <T> Promise<T> resolved(Object value) {
        checkOwner("Promise.resolve");
        return promiseResolve(value);
    }

    @Override
    public void whenSettled(Object promiseOrValue, Promise.Settlement continuation) {
        checkOwner("whenSettled");
        Promise.awaitReaction(this, promiseOrValue, Promise.reactionOf(continuation));
    }

    /** PromiseResolve(%Promise%, x): a native promise of this loop is returned as it is. */
    @SuppressWarnings("unchecked")
    final <T> Promise<T> promiseResolve(Object x) {
        if (x instanceof Promise<?> p && p.loop == this) return (Promise<T>) p;
        Promise<T> p = new Promise<>(this);
        p.resolveFunction(x);
        return p;
    }

    @Override
    public <T> Promise<T> rejected(Object reason) {
        checkOwner("Promise.reject");
        Promise<T> p = new Promise<>(this);
        p.rejectFunction(reason);
        return p;
    }

    @Override
    public Promise<List<Object>> all(List<?> items) {
        return Promise.all(this, Objects.requireNonNull(items, "Promise.all: items is null"));
    }

    @Override
    public Promise<List<Object>> allSettled(List<?> items) {
        return Promise.allSettled(this, Objects.requireNonNull(items, "Promise.allSettled: items is null"));
    }

    @Override
    public Promise<Object> race(List<?> items) {
        return Promise.race(this, Objects.requireNonNull(items, "Promise.race: items is null"));
    }

    @Override
    public Promise<Object> any(List<?> items) {
        return Promise.any(this, Objects.requireNonNull(items, "Promise.any: items is null"));
    }

    /**
     * An async body on a runtime without a blocking await: it runs to completion now, and its
     * result settles the promise as an async function's return would. Runtimes that can block
     * override this (see {@link AwaitingEventLoop}).
     */
    @Override
    public <T> Promise<T> async(Callable<T> body) {
        checkSchedule("async", body);
        Promise<T> p = new Promise<>(this);
        try {
            p.resolveFunction(body.call());
        } catch (Throwable t) {
            p.rejectFunction(ValueException.reasonOf(t));
        }
        return p;
    }

    @Override
    public <T> T await(Object promiseOrValue) {
        throw new IllegalStateException("await is not available on the '" + runtime() + "' runtime: it would block "
                + "the loop's only thread, and every other callback with it. Chain the rest with "
                + "promise.then(...) instead, or use the loom or threadpool runtime for a blocking await.");
    }

    @Override
    public boolean canAwait() {
        return false;
    }

    // =================================================================== off-loop work

    @Override
    public <T> Promise<T> offload(Callable<T> work) {
        checkSchedule("offload", work);
        Promise<T> p = new Promise<>(this);
        requests.call(work, (value, error) -> {
            if (error != null) p.rejectFunction(ValueException.reasonOf(error));
            else p.resolveFunction(value);
        });
        return p;
    }

    @Override
    public void readFile(Path path, BiConsumer<byte[], Throwable> callback) {
        Objects.requireNonNull(path, "readFile: path is null");
        checkSchedule("readFile", callback);
        files.readFile(path, callback);
    }

    @Override
    public Promise<byte[]> readFile(Path path) {
        Promise.Resolvers<byte[]> r = deferred();
        readFile(path, (bytes, error) -> {
            if (error != null) r.reject(error);
            else r.resolve(bytes);
        });
        return r.promise();
    }

    @Override
    public Promise<Void> writeFile(Path path, byte[] data) {
        Objects.requireNonNull(path, "writeFile: path is null");
        Objects.requireNonNull(data, "writeFile: data is null");
        return offload(() -> FileOperations.writeAtomically(path, data));
    }

    @Override
    public Net net() {
        return net;
    }

    // =================================================================== cross-thread

    @Override
    public void execute(Runnable callback) {
        Objects.requireNonNull(callback, "execute: callback is null");
        if (closeRequested) throw new LoopClosedException("execute after close(): the loop is closed");
        post(callback);
    }

    /** Enqueues a poll-phase callback from any thread and wakes the poller. */
    final void post(Runnable callback) {
        inbox.add(callback);
        posted.incrementAndGet();
        wakeup();
    }

    @Override
    public AutoCloseable keepAlive() {
        if (closeRequested) throw new LoopClosedException("keepAlive after close(): the loop is closed");
        keepAlives.incrementAndGet();
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                keepAlives.decrementAndGet();
                post(() -> {}); // let a sleeping poll see that the loop may end
            }
        };
    }

    @Override
    public long now() {
        return loopTime;
    }

    @Override
    public LoopStats stats() {
        return new LoopStats(
                statMacrotasks,
                statJobs,
                statIterations,
                statUncaught,
                statUnhandled,
                watch.longestSeen,
                watch.blockedReports,
                handOffs(),
                statIdleNanos);
    }

    // =================================================================== run and close

    // The await extension (AwaitingEventLoop) overrides these four; runtimes cannot.

    /** Token hand-offs so far. */
    long handOffs() {
        return 0;
    }

    /** Called on the driver before the main body / after the phases: the token's first holder. */
    void enterDriver() {}

    void exitDriver() {}

    /** Resumes parked async bodies with a LoopClosedException. */
    void cancelParked() {}

    @Override
    public void run(Runnable main) {
        Objects.requireNonNull(main, "run: main is null");
        if (Thread.currentThread() == owner) {
            throw new IllegalStateException(
                    "run() called from inside the loop: it is not reentrant (libuv's uv_run isn't either)");
        }
        if (closeRequested) throw new LoopClosedException("run after close(): the loop is closed");
        if (!running.compareAndSet(false, true)) throw new IllegalStateException("run(): the loop is already running");
        CountDownLatch done = new CountDownLatch(1);
        runDone = done;
        fatal = null;
        stopRequested = false;
        exiting = false; // a loop may run again after its 'exit': its nextTicks count again
        try {
            threads.startDriver(() -> {
                try {
                    driverMain(main);
                } catch (Throwable t) {
                    if (fatal == null) fatal = t;
                } finally {
                    done.countDown();
                }
            });
            awaitUninterruptibly(done);
        } finally {
            running.set(false);
        }
        if (closeRequested) finishClose(); // close() was called from inside the loop
        Throwable f = fatal;
        fatal = null;
        if (f != null) throw new FatalLoopException(f);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    @Override
    public boolean isClosed() {
        return closeRequested;
    }

    @Override
    public void close() {
        closeRequested = true;
        stopRequested = true;
        if (Thread.currentThread() == owner) return; // inside a callback: run() finishes the close when the loop stops
        wakeup();
        CountDownLatch done = runDone;
        if (running.get() && done != null) {
            try {
                if (!done.await(options.closeTimeoutMillis(), TimeUnit.MILLISECONDS)) {
                    System.err.println("loopbench: close(): the " + runtime() + " loop did not stop within "
                            + options.closeTimeoutMillis()
                            + " ms (a callback is still running); its threads are interrupted");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        finishClose();
    }

    /** Once, by whoever gets here first after the loop stopped: cancel parked work, end every thread. */
    private void finishClose() {
        if (!closeStarted.compareAndSet(false, true)) {
            try {
                closed.await(options.closeTimeoutMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            cancelParked();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.closeTimeoutMillis());
            net.shutdown(deadline); // every socket, then the transport: ends the blocking calls in flight
            threads.stop(deadline);
        } finally {
            timers.clear();
            immediates.drop();
            ticks.clear();
            microtasks.clear();
            rejections.clear();
            inbox.clear();
            closed.countDown();
        }
    }

    final boolean isCloseRequested() {
        return closeRequested;
    }
}
