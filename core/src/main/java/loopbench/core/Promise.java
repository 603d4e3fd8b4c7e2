package loopbench.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ECMAScript promise (ECMA-262 §27.2), exact to the job, bound to one {@link EventLoop}.
 *
 * <p>Algorithm: a promise is pending, fulfilled or rejected. {@code then} appends a reaction; when
 * the promise settles, or at once if it already has, each reaction becomes one job on the loop's
 * microtask queue (PromiseReactionJob). Resolving with a thenable, a native promise included, costs
 * one more job (PromiseResolveThenableJob) before the thenable's own {@code then} runs: that is why
 * {@code resolve(nativePromise)} settles two ticks later than {@code resolve(value)}.
 * {@link #resolve} of a native promise of the same loop returns it unchanged (PromiseResolve).
 *
 * <p>Invariants: a reaction is queued exactly once; reactions run in the order they were added;
 * the pair of resolving functions a promise is created with takes effect once (alreadyResolved);
 * a promise rejected while no handler is attached is reported to the loop's rejection tracker, and
 * withdrawn if a handler is attached before the tracker's check (rule 6).
 *
 * <p>Values are untyped at run time, as in JavaScript: a handler that returns a promise is adopted
 * whatever its declared type. {@code null} stands for {@code undefined}. Only the loop's owner may
 * call these methods. A promise made by {@code then} is itself the reaction to its parent and that
 * reaction's job ({@link PromiseJob}), so a {@code then} allocates one object and nothing more.
 */
public final class Promise<T> extends PromiseJob {
    private static final byte PENDING = 0, FULFILLED = 1, REJECTED = 2;

    final EventLoopCore loop;
    private byte state;
    private boolean alreadyResolved; // the creation-time resolving functions' [[AlreadyResolved]]
    boolean handled; // [[PromiseIsHandled]]
    byte tracking; // RejectionTracker state
    private Object result;
    private PromiseJob
            reactions; // waiting for this to settle, newest first (V8's order too): no tail field, 48 B a promise
    private ThrowingFunction<Object, Object> onFulfilled; // as the reaction to its parent: the then's handlers
    private ThrowingFunction<Object, Object> onRejected;

    Promise(EventLoopCore loop) {
        this.loop = loop;
    }

    /** The continuation of an await or a combinator: a reaction with no derived promise. */
    public interface Settlement {
        void settled(Object value, boolean rejected);
    }

    // ------------------------------------------------------------------ public API

    /** {@code then(onFulfilled)}: a {@code null} handler passes the value on. */
    public <R> Promise<R> then(ThrowingFunction<? super T, ? extends R> onFulfilled) {
        return then(onFulfilled, null);
    }

    /** {@code then(onFulfilled, onRejected)}; a {@code null} handler passes the value or reason on. */
    @SuppressWarnings("unchecked")
    public <R> Promise<R> then(ThrowingFunction<? super T, ?> onFulfilled, ThrowingFunction<Object, ?> onRejected) {
        loop.checkOwner("Promise.then");
        Promise<R> derived = new Promise<>(loop);
        derived.onFulfilled = (ThrowingFunction<Object, Object>) onFulfilled;
        derived.onRejected = (ThrowingFunction<Object, Object>) onRejected;
        performThen(derived);
        return derived;
    }

    /** {@code then(f)} where {@code f} returns a promise to adopt (typed for Java callers). */
    public <R> Promise<R> thenCompose(ThrowingFunction<? super T, ? extends Promise<? extends R>> onFulfilled) {
        return then(onFulfilled, null);
    }

    /** {@code catch(onRejected)}. */
    public Promise<T> catchError(ThrowingFunction<Object, ?> onRejected) {
        return then(null, onRejected);
    }

    /**
     * {@code finally(onFinally)} (27.2.5.3): runs {@code onFinally}, waits for what it returns, then
     * passes the original value or reason on; a throw or rejection from {@code onFinally} wins.
     */
    public Promise<T> onFinally(ThrowingFunction<Void, ?> onFinally) {
        Objects.requireNonNull(onFinally, "Promise.finally: onFinally is null");
        return then(
                value -> {
                    Object r = onFinally.apply(null);
                    return loop.promiseResolve(r).then(ignored -> value);
                },
                reason -> {
                    Object r = onFinally.apply(null);
                    return loop.promiseResolve(r).then(ignored -> {
                        throw ValueException.toThrow(reason);
                    });
                });
    }

    /** Registers a continuation that runs as one promise job when this settles; no derived promise. */
    public void whenSettled(Settlement k) {
        loop.checkOwner("Promise.whenSettled");
        performThen(reactionOf(k));
    }

    /**
     * {@code await x} with {@code reaction} as the rest of the function: PerformPromiseThen(
     * PromiseResolve(x), reaction), ECMA-262 27.7.5.3 Await. For a plain value (not a promise, not a
     * thenable) the promise PromiseResolve would make is fulfilled at once and nobody else can reach
     * it, so queueing its one reaction job is all that is observable: no promise is made.
     */
    static void awaitReaction(EventLoopCore loop, Object x, PromiseJob reaction) {
        if (x instanceof Promise<?> || x instanceof Thenable) {
            loop.promiseResolve(x).performThen(reaction);
        } else {
            reaction.argument = x;
            reaction.rejected = false;
            loop.enqueueMicrotask(reaction);
        }
    }

    /**
     * A continuation as a reaction job (an await's or a combinator's): an {@link AsyncContinuation}
     * that is not waiting is its own job; anything else gets one.
     */
    static PromiseJob reactionOf(Settlement k) {
        if (k instanceof AsyncContinuation c && c.claim()) return c;
        return new Continuation(Objects.requireNonNull(k, "continuation"));
    }

    public boolean isPending() {
        return state == PENDING;
    }

    public boolean isFulfilled() {
        return state == FULFILLED;
    }

    public boolean isRejected() {
        return state == REJECTED;
    }

    /** The value (fulfilled) or reason (rejected); {@code null} while pending. */
    public Object result() {
        return result;
    }

    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return switch (state) {
            case FULFILLED -> "Promise { " + result + " }";
            case REJECTED -> "Promise { <rejected> " + result + " }";
            default -> "Promise { <pending> }";
        };
    }

    // ------------------------------------------------------------------ resolving functions

    /** The creation-time resolve function (27.2.1.3.2). */
    void resolveFunction(Object resolution) {
        if (alreadyResolved) return;
        alreadyResolved = true;
        resolveNow(resolution);
    }

    /** The creation-time reject function (27.2.1.3.1). */
    void rejectFunction(Object reason) {
        if (alreadyResolved) return;
        alreadyResolved = true;
        rejectPromise(reason);
    }

    private void resolveNow(Object resolution) {
        if (resolution == this) {
            rejectPromise(new TypeError("Chaining cycle detected for promise #<Promise>")); // V8 kPromiseCyclic
        } else if (resolution instanceof Promise<?> || resolution instanceof Thenable) {
            loop.enqueueMicrotask(new ResolveThenableJob(this, resolution));
        } else {
            fulfill(resolution);
        }
    }

    private void fulfill(Object value) {
        settle(FULFILLED, value);
    }

    void rejectPromise(Object reason) {
        if (!handled) loop.rejections.rejectedWithNoHandler(this);
        settle(REJECTED, reason);
    }

    private void settle(byte to, Object value) {
        state = to;
        result = value;
        PromiseJob newestFirst = reactions;
        reactions = null;
        PromiseJob r = null;
        while (newestFirst != null) { // reverse into registration order, in which they are queued
            PromiseJob next = newestFirst.nextReaction;
            newestFirst.nextReaction = r;
            r = newestFirst;
            newestFirst = next;
        }
        while (r != null) {
            PromiseJob next = r.nextReaction;
            r.nextReaction = null;
            queueReaction(r, value, to == REJECTED);
            r = next;
        }
    }

    void performThen(PromiseJob reaction) {
        switch (state) {
            case PENDING -> {
                reaction.nextReaction = reactions;
                reactions = reaction;
            }
            case FULFILLED -> queueReaction(reaction, result, false);
            default -> {
                if (!handled) loop.rejections.handlerAdded(this);
                queueReaction(reaction, result, true);
            }
        }
        handled = true;
    }

    private void queueReaction(PromiseJob r, Object argument, boolean rejected) {
        r.argument = argument;
        r.rejected = rejected;
        loop.enqueueMicrotask(r);
    }

    // ------------------------------------------------------------------ jobs

    /** This promise's PromiseReactionJob (27.2.2.1) as the reaction to the promise {@code then} was called on. */
    @Override
    void runJob() {
        Object arg = argument;
        argument = null;
        ThrowingFunction<Object, Object> handler = rejected ? onRejected : onFulfilled;
        onFulfilled = onRejected = null; // run once: let the closures go
        if (handler == null) {
            if (rejected) rejectFunction(arg);
            else resolveFunction(arg);
            return;
        }
        Object value;
        try {
            value = handler.apply(arg);
        } catch (Throwable t) {
            rejectFunction(ValueException.reasonOf(t));
            return;
        }
        resolveFunction(value);
    }

    /** The reaction of an await or a combinator: no derived promise, a continuation instead. */
    private static final class Continuation extends PromiseJob {
        private final Settlement continuation;

        Continuation(Settlement continuation) {
            this.continuation = continuation;
        }

        @Override
        void runJob() {
            Object arg = argument;
            argument = null;
            continuation.settled(arg, rejected);
        }
    }

    /** NewPromiseResolveThenableJob (27.2.2.2) with its own pair of resolving functions. */
    private static final class ResolveThenableJob implements Runnable, Settlement {
        private final Promise<?> promise;
        private final Object thenable;
        private boolean alreadyResolved;

        ResolveThenableJob(Promise<?> promise, Object thenable) {
            this.promise = promise;
            this.thenable = thenable;
        }

        @Override
        public void run() {
            if (thenable instanceof Promise<?> p && p.loop == promise.loop) {
                // Native: then(resolve, reject) on the inner promise; its derived promise is unobservable.
                p.performThen(new Continuation(this));
                return;
            }
            try {
                if (thenable instanceof Thenable t) {
                    t.then(v -> settled(v, false), r -> settled(r, true));
                } else {
                    throw new IllegalStateException("a promise of another loop cannot be adopted: " + thenable);
                }
            } catch (Throwable t) {
                settled(ValueException.reasonOf(t), true);
            }
        }

        @Override
        public void settled(Object value, boolean rejected) {
            if (alreadyResolved) return;
            alreadyResolved = true;
            if (rejected) promise.rejectPromise(value);
            else promise.resolveNow(value);
        }
    }

    /** JavaScript's TypeError, for the few places ECMA-262 throws one. */
    public static final class TypeError extends RuntimeException {
        public TypeError(String message) {
            super(message, null, false, false);
        }
    }

    // ------------------------------------------------------------------ combinators (27.2.4)

    static Promise<List<Object>> all(EventLoopCore loop, List<?> items) {
        return combine(loop, items, Combinator.ALL);
    }

    static Promise<List<Object>> allSettled(EventLoopCore loop, List<?> items) {
        return combine(loop, items, Combinator.ALL_SETTLED);
    }

    static Promise<Object> any(EventLoopCore loop, List<?> items) {
        return combine(loop, items, Combinator.ANY);
    }

    static Promise<Object> race(EventLoopCore loop, List<?> items) {
        loop.checkOwner("Promise.race");
        Promise<Object> result = new Promise<>(loop);
        for (Object item : items) {
            awaitReaction(loop, item, reactionOf((v, rejected) -> {
                if (rejected) result.rejectFunction(v);
                else result.resolveFunction(v);
            }));
        }
        return result;
    }

    private enum Combinator {
        ALL,
        ALL_SETTLED,
        ANY
    }

    @SuppressWarnings("unchecked")
    private static <R> Promise<R> combine(EventLoopCore loop, List<?> items, Combinator kind) {
        loop.checkOwner("Promise." + kind.name().toLowerCase());
        Promise<Object> result = new Promise<>(loop);
        List<Object> values = new ArrayList<>(items.size());
        int[] remaining = {1};
        int index = 0;
        for (Object item : items) {
            int i = index++;
            values.add(null);
            remaining[0]++;
            awaitReaction(loop, item, reactionOf((v, rejected) -> {
                switch (kind) {
                    case ALL -> {
                        if (rejected) {
                            result.rejectFunction(v);
                            return;
                        }
                        values.set(i, v);
                    }
                    case ALL_SETTLED ->
                        values.set(i, rejected ? new Settled(false, null, v) : new Settled(true, v, null));
                    case ANY -> {
                        if (!rejected) {
                            result.resolveFunction(v);
                            return;
                        }
                        values.set(i, v);
                    }
                }
                if (--remaining[0] == 0) finish(result, values, kind);
            }));
        }
        if (--remaining[0] == 0) finish(result, values, kind);
        return (Promise<R>) result;
    }

    private static void finish(Promise<Object> result, List<Object> values, Combinator kind) {
        if (kind == Combinator.ANY) result.rejectFunction(new AggregateError(values));
        else result.resolveFunction(values);
    }

    // ------------------------------------------------------------------ executor support

    /** The resolving functions handed to an executor ({@code new Promise((resolve, reject) => ...)}). */
    public static final class Resolvers<T> {
        private final Promise<T> promise;

        Resolvers(Promise<T> promise) {
            this.promise = promise;
        }

        public Promise<T> promise() {
            return promise;
        }

        /** Resolves with a value, or adopts a promise or thenable. No effect after the first call. */
        public void resolve(Object value) {
            promise.loop.checkOwner("resolve");
            promise.resolveFunction(value);
        }

        public void reject(Object reason) {
            promise.loop.checkOwner("reject");
            promise.rejectFunction(reason);
        }
    }
}
