package loopbench.conformance;

import loopbench.core.EventLoop;
import loopbench.core.Immediate;
import loopbench.core.Promise;
import loopbench.core.Timeout;

/**
 * Node's {@code timers/promises} (lib/timers/promises.js) on an {@link EventLoop}, job for job: what
 * the scenario ops {@code setTimeoutPromise}, {@code setImmediatePromise} and {@code forAwaitInterval}
 * stand for. Written with the loop's public timers and promises only, as Node writes them in
 * JavaScript over its own timers.
 *
 * <p>{@code setTimeout} and {@code setImmediate} are a timer or an immediate whose callback is the
 * promise's resolve function ({@code new Timeout(resolve, after, [value], false, ref)}): the promise
 * settles inside that callback, so its reactions run in the microtask drain after it, where a
 * callback timer's own microtasks would. An unref'd one ({@code ref: false}) does not keep the loop alive.
 */
final class TimersPromises {
    private TimersPromises() {}

    /** {@code timersPromises.setTimeout(ms, value, {ref})}. */
    static Promise<Object> setTimeout(EventLoop loop, double ms, Object value, boolean ref) {
        Promise.Resolvers<Object> r = loop.deferred();
        Timeout t = loop.setTimeout(() -> r.resolve(value), ms);
        if (!ref) loop.setRefed(t, false);
        return r.promise();
    }

    /** {@code timersPromises.setImmediate(value, {ref})}. */
    static Promise<Object> setImmediate(EventLoop loop, Object value, boolean ref) {
        Promise.Resolvers<Object> r = loop.deferred();
        Immediate immediate = loop.setImmediate(() -> r.resolve(value));
        if (!ref) loop.setRefed(immediate, false);
        return r.promise();
    }

    /** What an async iterator's {@code next()} and {@code return()} promises fulfil with: {@code {value, done}}. */
    record Step(Object value, boolean done) {}

    /**
     * The async generator {@code timersPromises.setInterval(ms, value, {ref})} returns, as its consumer
     * {@code for await} drives it: one request ({@code next()} or {@code return()}) at a time. Its
     * body, from lib/timers/promises.js without the abort signal:
     *
     * <pre>
     * try {
     *   let notYielded = 0, callback;
     *   interval = new Timeout(() => { notYielded++; if (callback) { callback(); callback = undefined; } },
     *                          after, undefined, true, ref);
     *   while (true) {
     *     if (notYielded === 0) await new Promise((resolve) => callback = resolve);
     *     for (; notYielded > 0; notYielded--) yield value;
     *   }
     * } finally { clearInterval(interval); }
     * </pre>
     *
     * Ticks a slow consumer missed are counted and yielded back to back. The jobs are the spec's
     * (ECMA-262 §27.6.3): {@code yield value} awaits the value first (one job) and then fulfils the
     * request's promise; {@code return()} at a yield awaits its argument (one job), runs the
     * finally block (the interval is cleared there) and fulfils with {@code done}. So a consumer's
     * body runs three jobs after the interval's callback when it was waiting, two after its own
     * {@code next()} when a tick was pending, and a {@code break} goes on two jobs later.
     *
     * <p>Fields are the loop owner's only, as everything a scenario touches.
     */
    static final class Interval {
        private final EventLoop loop;
        private final double ms;
        private final boolean ref;
        private final Object value;
        /** The interval's timer; null until the first next() starts the generator's body. */
        private Timeout interval;
        /** Ticks not yet yielded, the current one included while the consumer runs its body. */
        private int notYielded;
        /** The resolve of the promise the body awaits while no tick is pending; null otherwise. */
        private Runnable callback;
        /** The request (next or return) in progress; null while suspended at a yield. */
        private Promise.Resolvers<Object> request;

        private boolean completed;

        Interval(EventLoop loop, double ms, Object value, boolean ref) {
            this.loop = loop;
            this.ms = ms;
            this.value = value;
            this.ref = ref;
        }

        /** {@code next()}: starts or resumes the body at its yield, synchronously. */
        Promise<Object> next() {
            Promise.Resolvers<Object> r = begin();
            if (completed) r.resolve(new Step(null, true));
            else if (interval == null) {
                interval = loop.setInterval(this::tick, ms);
                if (!ref) loop.setRefed(interval, false);
                awaitOrYield();
            } else {
                notYielded--; // the for loop's update, after the yield it was suspended at
                awaitOrYield();
            }
            return r.promise();
        }

        /**
         * {@code return()}: at a yield, the return completion's value is awaited (one job), then the
         * finally block clears the interval and the request fulfils with {@code done}.
         */
        Promise<Object> close() {
            Promise.Resolvers<Object> r = begin();
            if (completed || interval == null) { // never started: completes without running the body
                completed = true;
                loop.whenSettled(null, (v, rejected) -> finish(new Step(v, true)));
            } else {
                loop.whenSettled(null, (v, rejected) -> {
                    loop.clearInterval(interval);
                    completed = true;
                    finish(new Step(v, true));
                });
            }
            return r.promise();
        }

        private Promise.Resolvers<Object> begin() {
            if (request != null)
                throw new IllegalStateException("the interval's iterator got a request while one is in progress");
            return request = loop.deferred();
        }

        /** The interval's callback. */
        private void tick() {
            notYielded++;
            if (callback != null) {
                Runnable c = callback;
                callback = null;
                c.run();
            }
        }

        /** The while loop's body from its top: await a tick if none is pending, else yield. */
        private void awaitOrYield() {
            if (notYielded > 0) {
                yieldValue();
                return;
            }
            Promise.Resolvers<Object> wake = loop.deferred();
            callback = () -> wake.resolve(null);
            loop.whenSettled(wake.promise(), (v, rejected) -> awaitOrYield());
        }

        /** {@code yield value}: Await(value), then the request fulfils and the body is suspended. */
        private void yieldValue() {
            loop.whenSettled(value, (v, rejected) -> finish(new Step(v, false)));
        }

        private void finish(Step step) {
            Promise.Resolvers<Object> r = request;
            request = null;
            r.resolve(step);
        }
    }
}
