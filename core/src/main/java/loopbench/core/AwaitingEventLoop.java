package loopbench.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import loopbench.core.io.BlockingTransport;

/**
 * A loop whose async bodies can block in {@link #await}: each body runs on a thread of its own,
 * and the loop's {@link LoopToken} is handed between the driver and the bodies so that exactly one
 * of them runs loop code at a time. The loom and threadpool runtimes differ only in their
 * {@link LoopThreads}: where those threads come from, and whether a thread waiting for the token is
 * counted as blocked.
 *
 * <p>Algorithm, for {@code await p} in a body B resumed by party R (the driver, usually):
 * B registers one reaction on {@code PromiseResolve(p)}, gives the token to R and parks; R runs
 * on. When {@code p} settles, the reaction is one promise job, exactly where JavaScript resumes an
 * async function: the job's runner gives the token to B and parks until B gives it back, which B
 * does at its next await or when it returns. So an await costs two hand-offs and the job count is
 * JavaScript's (one job for a native promise, three for a thenable). One exception costs none: a
 * body already running inside the microtask drain (resumed by a job) that awaits a settled promise
 * while no other microtask is queued takes its own resume job off the queue and goes on, because
 * the drain would have run exactly that job next and handed the token straight back.
 *
 * <p>Sockets are blocking here too: each socket call runs where the runtime runs its offloads
 * (a virtual thread, a pool thread), so TCP is written once for both ({@link BlockingTransport}).
 *
 * <p>Invariants: a body is in {@code parked} exactly while it waits in an await; whoever gives a
 * body the token is the body's {@code returnTo} and gets it back; close() resumes every parked body
 * with a {@link LoopClosedException} so none is left behind, and leaves its promise pending (in Node
 * the body never resumes). Fields are owner-only unless they say otherwise.
 */
public abstract class AwaitingEventLoop extends EventLoopCore {
    final LoopToken token = new LoopToken(); // its own volatile hand-off
    private LoopToken.Party current; // the party holding the token
    private final Set<AsyncBody<?>> parked = new LinkedHashSet<>(); // bodies waiting in an await
    private long handOffs;

    /** @param threads the runtime's threads; {@link LoopThreads#startBody} must run bodies */
    protected AwaitingEventLoop(LoopOptions options, LoopThreads threads) {
        super(options, threads, host -> new BlockingTransport(host.blockingCalls()));
    }

    /**
     * Parks the calling thread until {@code me} holds the token; the runtime's threads hear of the
     * wait (threadpool counts the thread as blocked).
     */
    void waitForToken(LoopToken.Party me) {
        if (token.holder() == me) return;
        threads.enterBlocked();
        try {
            token.awaitTurn(me);
        } finally {
            threads.exitBlocked();
        }
    }

    @Override
    long handOffs() {
        return handOffs;
    }

    /**
     * Gives the token to {@code body} and waits for it to come back: the cost of an await is two of
     * these. Recorded as a JFR AwaitHandOff event when a recording asks for it.
     */
    private void handTo(LoopToken.Party body, LoopToken.Party me) {
        handOffs++;
        loopbench.core.jfr.AwaitHandOffEvent e = new loopbench.core.jfr.AwaitHandOffEvent();
        e.begin();
        token.give(body);
        waitForToken(me);
        acquired(me);
        if (e.shouldCommit()) {
            e.runtime = runtime();
            e.commit();
        }
    }

    /** How many async bodies are parked in an await right now (owner-only; for tests and metrics). */
    public final int parkedBodies() {
        return parked.size();
    }

    @Override
    void enterDriver() {
        LoopToken.Party driver = new LoopToken.Party(Thread.currentThread(), null);
        token.give(driver);
        current = driver;
    }

    private void acquired(LoopToken.Party me) {
        owner = Thread.currentThread();
        current = me;
    }

    @Override
    public boolean canAwait() {
        return true;
    }

    @Override
    public <T> Promise<T> async(Callable<T> body) {
        Objects.requireNonNull(body, "async: body is null");
        checkOwner("async");
        if (isCloseRequested()) throw new LoopClosedException("async after close(): the loop is closed");
        Promise<T> promise = new Promise<>(this);
        LoopToken.Party me = current;
        AsyncBody<T> b = new AsyncBody<>(this, body, promise, me);
        token.give(b.party);
        try {
            threads.startBody(b);
        } catch (RejectedExecutionException e) {
            token.give(me);
            acquired(me);
            promise.rejectFunction(e);
            return promise;
        }
        handOffs++;
        waitForToken(me);
        acquired(me);
        if (b.startFailure != null) promise.rejectFunction(b.startFailure);
        return promise;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T await(Object promiseOrValue) {
        checkOwner("await");
        if (!(current.body instanceof AsyncBody<?> b)) {
            throw new IllegalStateException("await outside an async body: only code running inside loop.async(...) "
                    + "can await; a plain callback must chain with promise.then(...)");
        }
        if (isCloseRequested()) throw new LoopClosedException("await after close(): the loop is closed");
        Promise.awaitReaction(this, promiseOrValue, b); // the body is its own resume job
        if (b.inJob && takeSoleMicrotask(b)) {
            // The resume job just queued is the only microtask: the job runner would take it next and
            // hand the token straight back, so this thread runs that job itself, without the two hand-offs.
            Object v = b.argument;
            b.argument = null;
            if (b.rejected) throw ValueException.toThrow(v);
            return (T) v;
        }
        parked.add(b);
        LoopToken.Party me = b.party;
        token.give(b.returnTo);
        waitForToken(me);
        acquired(me);
        if (b.cancelled) {
            throw new LoopClosedException(
                    "await cancelled: the " + runtime() + " loop was closed while this async body was waiting");
        }
        Object v = b.value;
        b.value = null;
        if (b.rejected) throw ValueException.toThrow(v);
        return (T) v;
    }

    @Override
    void cancelParked() {
        if (parked.isEmpty()) return;
        LoopToken.Party me = new LoopToken.Party(Thread.currentThread(), null);
        token.give(me);
        acquired(me);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.closeTimeoutMillis());
        for (AsyncBody<?> b : new ArrayList<>(parked)) {
            parked.remove(b);
            b.cancelled = true;
            b.returnTo = me;
            token.give(b.party);
            if (!token.awaitTurn(me, deadline)) {
                System.err.println(
                        "loopbench: close(): an async body did not finish after its await was cancelled; abandoned");
                break;
            }
            acquired(me);
        }
        owner = null;
    }

    /**
     * One async function activation: its body, its promise, and the reaction job its awaits resume
     * in. A body awaits one promise at a time, so one job object serves all its awaits.
     */
    static final class AsyncBody<T> extends PromiseJob implements PoolTask {
        private final AwaitingEventLoop loop;
        private final Callable<T> body;
        private final Promise<T> promise;
        final LoopToken.Party party = new LoopToken.Party(null, this);
        private final AtomicBoolean started = new AtomicBoolean();
        LoopToken.Party returnTo; // gets the token at this body's next await or return
        Object value; // the awaited result, handed over with the token
        boolean cancelled; // resumed by close(): its promise never settles
        boolean inJob; // resumed by its await's promise job at least once: it runs inside the microtask drain
        volatile Throwable startFailure;

        AsyncBody(AwaitingEventLoop loop, Callable<T> body, Promise<T> promise, LoopToken.Party caller) {
            this.loop = loop;
            this.body = body;
            this.promise = promise;
            this.returnTo = caller;
        }

        @Override
        public void run() {
            party.bind(Thread.currentThread());
            if (!started.compareAndSet(false, true)) return; // failed before it could start
            loop.waitForToken(party);
            loop.acquired(party);
            try {
                T result = body.call();
                if (!cancelled) promise.resolveFunction(result);
            } catch (Throwable t) {
                // A body resumed by close() is one that JavaScript would never resume: whatever it does
                // while unwinding, its promise stays pending, as the async function's promise does in Node.
                if (!cancelled) promise.rejectFunction(ValueException.reasonOf(t));
            } finally {
                loop.token.give(returnTo);
            }
        }

        /**
         * Fails a body that could not get a thread (pool exhaustion): its caller gets the token back and
         * rejects the body's promise with {@code why}. Returns false if the body already started.
         */
        @Override
        public boolean failBeforeStart(Throwable why) {
            if (!started.compareAndSet(false, true)) return false;
            startFailure = why;
            loop.token.give(returnTo);
            return true;
        }

        /** The await's promise job: resume this body and wait for it to give the token back. */
        @Override
        void runJob() {
            loop.parked.remove(this);
            inJob = true;
            value = argument;
            argument = null;
            LoopToken.Party me = loop.current;
            returnTo = me;
            loop.handTo(party, me);
        }
    }
}
