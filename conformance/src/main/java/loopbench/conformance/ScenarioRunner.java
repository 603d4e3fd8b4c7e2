package loopbench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import loopbench.core.EventEmitter;
import loopbench.core.EventLoop;
import loopbench.core.EventLoops;
import loopbench.core.Immediate;
import loopbench.core.LoopClosedException;
import loopbench.core.LoopOptions;
import loopbench.core.Promise;
import loopbench.core.Thenable;
import loopbench.core.ThrowingFunction;
import loopbench.core.Timeout;
import loopbench.core.ValueException;

/**
 * Runs a {@link Scenario} on one runtime and returns what it logged: the JavaScript program that
 * node-oracle.mjs compiles, interpreted op by op against the {@link EventLoop} API.
 *
 * <p>Async bodies: on a runtime with a blocking {@code await} the body runs in {@code loop.async}
 * and each {@code await} op is a real {@code loop.await}; elsewhere the body is run in
 * continuation-passing style, each {@code await} becoming one reaction on
 * {@code PromiseResolve(x)}, which is what a compiler does with {@code await} and costs the same
 * one job. Both must log what Node logs.
 *
 * <p>A run ends after its time limit ({@link #DEFAULT_LIMIT}) with an error, whatever the scenario
 * does: a watchdog closes the loop, and the only op that can hold a thread that long, {@code cpu},
 * checks the deadline as it spins (close() could only interrupt it, and run() would wait for it).
 *
 * <p>Two exceptions are not JavaScript and pass through every {@code try} and promise of the
 * program: a {@link ScenarioException} (the file is wrong) and a {@link LoopClosedException} (an
 * await that close() cancelled: in Node that body never resumes, so none of its {@code catch}
 * blocks runs). A line logged after the loop ended is an error of the run, never part of its log.
 */
public final class ScenarioRunner {
    /** What one run produced: the log, or the error that made the scenario invalid or stuck. */
    public record Result(String name, String runtime, List<String> log, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    /** How long one scenario may run on one runtime; {@link Scenario#MAX_CPU_MS} is a third of it. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(30);

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loopbench-scenario-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final long limitMillis;
    private final Path ioFile;

    /** A runner with the default time limit, {@link #DEFAULT_LIMIT}. */
    public ScenarioRunner() {
        this(DEFAULT_LIMIT);
    }

    /** A runner that ends each run after {@code limit} with an error, whatever the scenario does. */
    public ScenarioRunner(Duration limit) {
        this.limitMillis = limit.toMillis();
        try {
            ioFile = Files.createTempFile("loopbench-io-", ".txt");
            Files.writeString(ioFile, "a small file for the io op\n");
            ioFile.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the io op's file: " + e.getMessage(), e);
        }
    }

    public Result run(Scenario scenario, String runtime) {
        EventLoop loop = EventLoops.create(runtime, LoopOptions.DEFAULTS.withCloseTimeoutMillis(2_000));
        Program program = new Program(loop, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis));
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(
                () -> {
                    program.fail(program.overtime());
                    loop.close();
                },
                limitMillis,
                TimeUnit.MILLISECONDS);
        try {
            loop.run(() -> program.function(scenario.main(), null)); // a CommonJS module body: may return
        } catch (RuntimeException e) {
            program.fail("the loop failed: " + e.getMessage());
        } finally {
            program.ended = true;
            watchdog.cancel(false);
            loop.close();
        }
        if (program.error != null) return new Result(scenario.name(), runtime, null, program.error);
        return new Result(scenario.name(), runtime, List.copyOf(program.log), null);
    }

    /** The event name that stands for {@code events.errorMonitor} (SCENARIOS.md, Operations). */
    static final String ERROR_MONITOR = "$errorMonitor";

    /** An emitter listener's arguments, bound as {@code $v} (the first) and {@code $w} (the second). */
    private record Args(Object a, Object b) {}

    /**
     * A {@code return} op on its way out of the function it is in (an async body on a blocking-await
     * runtime, or any other function): a completion, not an exception of JavaScript, so no {@code catch}
     * block sees it; every {@code finally} does. {@link Program#function} ends its journey.
     */
    private static final class Returned extends RuntimeException {
        final transient Object value;

        Returned(Object value) {
            super(null, null, false, false);
            this.value = value;
        }
    }

    /** {@code res}/{@code rej} of a promise or of a thenable's {@code then}: what resolve and reject call. */
    private record Settle(Consumer<Object> resolve, Consumer<Object> reject) {}

    /** One run's state: the program's maps P, R, T, E, F and its log. */
    private final class Program {
        private final EventLoop loop;
        private final boolean realAwait;
        private final List<String> log = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, Object> promises = new HashMap<>(); // a Promise or a Thenable
        private final Map<String, Settle> resolvers = new HashMap<>();
        private final Map<String, Object> timers = new HashMap<>();
        private final Map<String, EventEmitter> emitters = new HashMap<>();
        private final Map<String, Listener> functions = new HashMap<>();
        /** FN: the named functions of {@code function} ops, by id. */
        private final Map<String, List<Op>> named = new HashMap<>();

        private final Counters counters = new Counters();
        /** How deep {@code call} ops nest now (see {@link Op.Call#MAX_DEPTH}). */
        private int callDepth;
        /** process.on listeners by event, after the program's own logging handlers. */
        private final Map<String, List<Consumer<Args>>> processListeners = new HashMap<>();
        /** System.nanoTime() at which the run's time limit ends. */
        private final long deadline;

        private volatile String error;
        /** run() returned: the program is over, as a Node process whose loop has nothing left. */
        private volatile boolean ended;

        Program(EventLoop loop, long deadline) {
            this.loop = loop;
            this.deadline = deadline;
            this.realAwait = loop.canAwait();
            loop.onUncaughtException(e -> {
                if (scenarioError(e)) return;
                log("uncaught:$v", e);
                emitProcess("uncaughtException", new Args(e, "uncaughtException"));
            });
            loop.onUnhandledRejection((reason, p) -> {
                if (scenarioError(reason)) return;
                log("unhandledRejection:$v", reason);
                emitProcess("unhandledRejection", new Args(reason, p));
            });
            loop.onWarning(w -> log("warning:$v", w));
            loop.onBeforeExit(() -> emitProcess("beforeExit", new Args(0L, null)));
            loop.onExit(() -> emitProcess("exit", new Args(0L, null)));
        }

        /** process.emit: the listeners there were when it began, in order (EventEmitter's arrayClone). */
        private void emitProcess(String event, Args args) {
            List<Consumer<Args>> listeners = processListeners.get(event);
            if (listeners == null) return;
            for (Consumer<Args> l : List.copyOf(listeners)) l.accept(args);
        }

        private boolean scenarioError(Object e) {
            if (!(e instanceof ScenarioException s)) return false;
            fail(s.getMessage());
            loop.close();
            return true;
        }

        void fail(String message) {
            if (error == null) error = message;
        }

        String overtime() {
            return "did not finish within " + limitMillis + " ms (the runner's time limit per scenario and runtime)";
        }

        /**
         * The busy-wait of a {@code cpu} op. It stops at the time limit (or when close() interrupts
         * this thread): a callback that spins on would keep {@code run()} waiting for ever, since
         * close() can only interrupt it.
         */
        private void spin(double ms) {
            long end = System.nanoTime() + (long) (ms * 1_000_000);
            for (long now = System.nanoTime(); now - end < 0; now = System.nanoTime()) {
                if (now - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                    fail(overtime());
                    throw new ScenarioException(overtime());
                }
                Thread.onSpinWait();
            }
        }

        private void log(String msg, Object v) {
            Args args = v instanceof Args a ? a : new Args(v, null);
            String line = counters.substitute(msg) // first: a value's text is never read as ${name}
                    .replace("$v", JsValues.text(args.a()))
                    .replace("$w", JsValues.text(args.b()));
            if (ended) fail("logged after the loop ended (Node would never run that code): " + line);
            else log.add(line);
        }

        // ------------------------------------------------------------- synchronous ops

        /** Runs a block; an await rebinds $v for the ops after it. */
        void block(List<Op> ops, Object v, boolean inAsync) {
            for (Op op : ops) v = op(op, v, inAsync);
        }

        /** Runs a function's body: a return op ends it with its value (undefined without one). */
        Object function(List<Op> ops, Object v) {
            try {
                block(ops, v, false);
                return null;
            } catch (Returned r) {
                return r.value;
            }
        }

        private Runnable callback(List<Op> ops, Object v) {
            return () -> function(ops, v);
        }

        private Object op(Op op, Object v, boolean inAsync) {
            switch (op) {
                case Op.Log o -> log(o.msg(), v);
                case Op.Cpu o -> spin(o.ms());
                case Op.SetTimeout o -> putTimer(o, loop.setTimeout(callback(o.body(), v), o.ms()));
                case Op.SetInterval o -> {
                    Timeout[] handle = new Timeout[1];
                    int[] runs = {0};
                    handle[0] = loop.setInterval(
                            () -> {
                                function(o.body(), v); // a return ends the callback, not the count
                                if (++runs[0] >= o.times()) loop.clearInterval(handle[0]);
                            },
                            o.ms());
                    putTimer(o, handle[0]);
                }
                case Op.SetImmediate o -> putTimer(o, loop.setImmediate(callback(o.body(), v)));
                case Op.SetTimeoutPromise o ->
                    put(o, TimersPromises.setTimeout(loop, o.ms(), JsValues.fromJson(o.value()), o.refed()));
                case Op.SetImmediatePromise o ->
                    put(o, TimersPromises.setImmediate(loop, JsValues.fromJson(o.value()), o.refed()));
                // reached only with a real await: asyncByContinuations takes it as an op of its own
                case Op.ForAwaitInterval o -> forAwaitBlocking(o);
                case Op.ClearTimeout o -> clearTimeout(o.id());
                case Op.ClearInterval o -> clearTimeout(o.id());
                case Op.ClearImmediate o -> {
                    if (timers.get(o.id()) instanceof Immediate im) loop.clearImmediate(im);
                }
                case Op.Ref o -> setRefed(o.id(), true);
                case Op.Unref o -> setRefed(o.id(), false);
                case Op.Refresh o -> {
                    if (!(startedTimer(o.id(), "refresh") instanceof Timeout t))
                        throw new ScenarioException("refresh of " + o.id()
                                + ": an immediate has no refresh (a TypeError in Node), only a timer");
                    loop.refresh(t);
                }
                case Op.HasRef o -> {
                    return startedTimer(o.id(), "hasRef") instanceof Timeout t
                            ? t.hasRef()
                            : ((Immediate) timers.get(o.id())).hasRef();
                }
                case Op.ProcessOn o -> {
                    // process.on('rejectionHandled') replaces Node's default (the warning) from its first listener on
                    if (o.event().equals("rejectionHandled") && !processListeners.containsKey(o.event()))
                        loop.onRejectionHandled(p -> emitProcess("rejectionHandled", new Args(p, null)));
                    processListeners
                            .computeIfAbsent(o.event(), e -> new ArrayList<>())
                            .add(args -> function(o.body(), args));
                }
                case Op.NextTick o -> loop.nextTick(callback(o.body(), v));
                case Op.QueueMicrotask o -> loop.queueMicrotask(callback(o.body(), v));
                case Op.Io o -> loop.readFile(ioFile, (bytes, err) -> function(o.body(), v));
                case Op.NewPromise o ->
                    promises.put(o.id(), loop.newPromise(r -> {
                        resolvers.put(o.id(), new Settle(r::resolve, r::reject));
                        function(o.body(), v);
                    }));
                case Op.Thenable o ->
                    promises.put(o.id(), (Thenable) (res, rej) -> {
                        resolvers.put(o.id(), new Settle(res, rej));
                        function(o.body(), v);
                    });
                case Op.Resolve o -> resolverOf(o.id()).resolve().accept(operand(o.promise(), o.value()));
                case Op.Reject o -> resolverOf(o.id()).reject().accept(operand(o.promise(), o.value()));
                case Op.Resolved o -> put(o, loop.resolved(operand(o.promise(), o.value())));
                case Op.Rejected o -> put(o, loop.rejected(operand(o.promise(), o.value())));
                case Op.Then o -> put(o, promiseOf(o.on()).then(handler(o.fulfilled()), handler(o.rejected())));
                case Op.Catch o -> put(o, promiseOf(o.on()).catchError(handler(new Op.Handler(o.body(), o.ret()))));
                case Op.Finally o -> put(o, promiseOf(o.on()).onFinally(ignored -> handler(o.body(), v, o.ret())));
                case Op.All o -> put(o, loop.all(items(o)));
                case Op.AllSettled o -> put(o, loop.allSettled(items(o)));
                case Op.Race o -> put(o, loop.race(items(o)));
                case Op.Any o -> put(o, loop.any(items(o)));
                case Op.Async o ->
                    put(
                            o,
                            realAwait
                                    ? loop.async(() -> {
                                        try {
                                            block(o.body(), v, true);
                                        } catch (Returned r) {
                                            return r.value;
                                        }
                                        return returned(o.ret());
                                    })
                                    : asyncByContinuations(o, v));
                case Op.Await o -> {
                    return loop.await(operand(
                            o.promise(), o.value())); // reached only with a real await: see asyncByContinuations
                }
                case Op.Try o -> tryCatchFinally(o, v, inAsync);
                case Op.Throw o -> throw new ValueException(JsValues.fromJson(o.value()));
                // in an async body without a real await, runAsync takes it as an op of its own
                case Op.ReturnStatement o -> throw new Returned(operand(o.promise(), o.value()));
                case Op.Emitter o -> emitters.put(o.id(), loop.newEmitter());
                case Op.On o -> emitterOf(o.emitter()).on(event(o.event()), listener(o));
                case Op.Once o -> emitterOf(o.emitter()).once(event(o.event()), listener(o));
                case Op.PrependListener o -> emitterOf(o.emitter()).prependListener(event(o.event()), listener(o));
                case Op.PrependOnceListener o ->
                    emitterOf(o.emitter()).prependOnceListener(event(o.event()), listener(o));
                case Op.Off o -> emitterOf(o.emitter()).removeAllListeners(event(o.event()));
                case Op.RemoveListener o ->
                    emitterOf(o.emitter()).removeListener(event(o.event()), functionOf(o.listener()));
                case Op.RemoveAllListeners o -> {
                    if (o.event() == null) emitterOf(o.emitter()).removeAllListeners();
                    else emitterOf(o.emitter()).removeAllListeners(event(o.event()));
                }
                case Op.Emit o -> emit(o);
                case Op.SetMaxListeners o -> emitterOf(o.emitter()).setMaxListeners(o.n());
                case Op.ListenerCount o -> {
                    return (long) emitterOf(o.emitter()).listenerCount(event(o.event()));
                }
                case Op.EventNames o -> {
                    return emitterOf(o.emitter()).eventNames();
                }
                case Op.Let o -> counters.let(o.counter(), o.value());
                case Op.Add o -> counters.add(o.counter(), o.by());
                case Op.If o -> {
                    List<Op> branch = holds(o.cond(), v) ? o.then() : o.otherwise();
                    if (branch != null) block(branch, v, inAsync);
                }
                case Op.Repeat o -> {
                    for (int i = 0; i < o.times(); i++) block(o.body(), v, inAsync);
                }
                case Op.DefineFunction o -> named.put(o.id(), o.body());
                case Op.Call o -> {
                    return call(o);
                }
            }
            return v;
        }

        private boolean holds(Op.Cond c, Object v) {
            Args args = v instanceof Args a ? a : new Args(v, null);
            return counters.holds(c, args.a(), args.b());
        }

        /** {@code FN[fn](value)}: the function's {@code $v} is the argument; binds what it returns. */
        private Object call(Op.Call o) {
            List<Op> body = named.get(o.fn());
            if (body == null)
                throw new ScenarioException("function '" + o.fn() + "' called before its function op ran");
            if (callDepth >= Op.Call.MAX_DEPTH)
                throw new ScenarioException("calls nest deeper than " + Op.Call.MAX_DEPTH + " (call of '" + o.fn()
                        + "'): a recursion without an end?");
            callDepth++;
            try {
                return function(body, JsValues.fromJson(o.value()));
            } finally {
                callDepth--;
            }
        }

        /**
         * {@code try {do} catch (e) {catch} finally {finally}} as ECMA-262 §14.15.3 has it: the finally
         * block runs after the body or the catch block however they end, a return included, and a
         * throw or return of its own replaces theirs. Exceptions that are not JavaScript run neither block.
         */
        private void tryCatchFinally(Op.Try o, Object v, boolean inAsync) {
            Throwable pending = null;
            try {
                block(o.body(), v, inAsync);
            } catch (ScenarioException | LoopClosedException e) {
                throw e;
            } catch (Returned r) {
                pending = r;
            } catch (Throwable t) {
                pending = t;
                if (o.handler() != null) {
                    pending = null;
                    try {
                        block(o.handler(), ValueException.reasonOf(t), inAsync);
                    } catch (ScenarioException | LoopClosedException e) {
                        throw e;
                    } catch (Throwable again) {
                        pending = again;
                    }
                }
            }
            if (o.finalizer() != null) block(o.finalizer(), v, inAsync);
            if (pending instanceof Returned r) throw r;
            if (pending != null) throw ValueException.toThrow(ValueException.reasonOf(pending));
        }

        private TimersPromises.Interval interval(Op.ForAwaitInterval o) {
            return new TimersPromises.Interval(loop, o.ms(), JsValues.fromJson(o.value()), o.refed());
        }

        /**
         * {@code for await (const v of setInterval(...)) {do; if (++n >= times) break;}} with a blocking
         * await: a break, a throw or a return out of the body closes the iterator (AsyncIteratorClose:
         * {@code await it.return()}) before it goes on.
         */
        private void forAwaitBlocking(Op.ForAwaitInterval o) {
            TimersPromises.Interval it = interval(o);
            for (int n = 0; ; ) {
                TimersPromises.Step step = loop.await(it.next());
                if (step.done()) return;
                try {
                    block(o.body(), step.value(), true);
                } catch (ScenarioException | LoopClosedException e) {
                    throw e;
                } catch (Throwable t) {
                    loop.await(it.close());
                    throw t;
                }
                if (++n >= o.times()) {
                    loop.await(it.close());
                    return;
                }
            }
        }

        /** An event name of the format: {@code $errorMonitor} is Node's {@code events.errorMonitor} symbol. */
        private static Object event(String name) {
            return name.equals(ERROR_MONITOR) ? EventEmitter.ERROR_MONITOR : name;
        }

        private void emit(Op.Emit o) {
            EventEmitter e = emitterOf(o.emitter());
            if (o.args() == null) {
                e.emit(event(o.event()), JsValues.fromJson(o.value()));
                return;
            }
            List<Object> args = o.args().stream().map(JsValues::fromJson).toList();
            if (args.isEmpty()) e.emit(event(o.event()));
            else
                e.emit(
                        event(o.event()),
                        args.get(0),
                        args.subList(1, args.size()).toArray());
        }

        private void setRefed(String id, boolean refed) {
            if (startedTimer(id, refed ? "ref" : "unref") instanceof Timeout t) loop.setRefed(t, refed);
            else loop.setRefed((Immediate) timers.get(id), refed);
        }

        /** T[id], a Timeout or an Immediate; one not started yet is undefined in Node, where the call throws. */
        private Object startedTimer(String id, String what) {
            Object handle = timers.get(id);
            if (handle == null)
                throw new ScenarioException(what + " of timer '" + id
                        + "' before its setTimeout/setInterval/setImmediate ran (T[id] is undefined)");
            return handle;
        }

        private void clearTimeout(String id) {
            if (timers.get(id) instanceof Timeout t) loop.clearTimeout(t);
        }

        /** {@code (a, b) => {do}}, kept in F under the op's id if it has one. */
        private Listener listener(Op.Listen op) {
            Listener fn = new Listener(op.id(), op.body());
            if (op.id() != null) functions.put(op.id(), fn);
            return fn;
        }

        /** A listener function: JavaScript calls it with the emit's arguments, whatever its arity. */
        private final class Listener implements BiConsumer<Object, Object>, JsValues.Listener {
            private final String id;
            private final List<Op> body;

            Listener(String id, List<Op> body) {
                this.id = id;
                this.body = body;
            }

            @Override
            public String id() {
                return id;
            }

            @Override
            public void accept(Object a, Object b) {
                function(body, new Args(a, b));
            }
        }

        private List<Object> items(Op.Combinator op) {
            List<Object> items = new ArrayList<>();
            for (Op.Item item : op.of()) items.add(operand(item.promise(), item.value()));
            return items;
        }

        // ------------------------------------------------------------- async bodies without await

        /**
         * How an async body, or a part of it, goes on: after its last op ({@code done}), after a throw or
         * a rejected await ({@code fail}), after a {@code return} op ({@code ret}, past the finally blocks).
         */
        private record Continuation(Runnable done, Consumer<Object> fail, Consumer<Object> ret) {
            /** This continuation with another {@code done}: its throws and returns go where these go. */
            Continuation whenDone(Runnable then) {
                return new Continuation(then, fail, ret);
            }
        }

        private Promise<?> asyncByContinuations(Op.Async op, Object v) {
            Promise.Resolvers<Object> r = loop.deferred();
            Runnable done = () -> {
                try {
                    r.resolve(returned(op.ret()));
                } catch (ScenarioException | LoopClosedException e) {
                    throw e;
                } catch (Throwable t) {
                    r.reject(ValueException.reasonOf(t));
                }
            };
            runAsync(op.body(), 0, v, new Continuation(done, r::reject, r::resolve));
            return r.promise();
        }

        /** Runs ops[i..] of an async body; an await suspends it as one reaction on PromiseResolve(x). */
        private void runAsync(List<Op> ops, int i, Object v, Continuation k) {
            for (; i < ops.size(); i++) {
                Op op = ops.get(i);
                int next = i + 1;
                if (op instanceof Op.Await await) {
                    Object awaited;
                    try {
                        awaited = operand(await.promise(), await.value());
                    } catch (ScenarioException | LoopClosedException e) {
                        throw e;
                    } catch (Throwable t) {
                        k.fail().accept(ValueException.reasonOf(t));
                        return;
                    }
                    loop.whenSettled(awaited, (value, rejected) -> {
                        if (rejected) k.fail().accept(value);
                        else runAsync(ops, next, value, k);
                    });
                    return;
                }
                if (op instanceof Op.ReturnStatement ret) {
                    k.ret().accept(operand(ret.promise(), ret.value()));
                    return;
                }
                if (op instanceof Op.ForAwaitInterval f) {
                    Object outer = v;
                    forAwait(f, interval(f), 0, k.whenDone(() -> runAsync(ops, next, outer, k)));
                    return;
                }
                if (op instanceof Op.If f) { // its branch may await or return: run it as part of the body
                    List<Op> branch = holds(f.cond(), v) ? f.then() : f.otherwise();
                    if (branch == null) continue;
                    Object outer = v;
                    runAsync(branch, 0, v, k.whenDone(() -> runAsync(ops, next, outer, k)));
                    return;
                }
                if (op instanceof Op.Repeat rep) {
                    Object outer = v;
                    repeatAsync(rep, 0, v, k.whenDone(() -> runAsync(ops, next, outer, k)));
                    return;
                }
                if (op instanceof Op.Try t) {
                    Object outer = v;
                    Continuation after = withFinally(t, outer, k.whenDone(() -> runAsync(ops, next, outer, k)));
                    Consumer<Object> thrown =
                            t.handler() == null ? after.fail() : reason -> runAsync(t.handler(), 0, reason, after);
                    runAsync(t.body(), 0, v, new Continuation(after.done(), thrown, after.ret())); // catch: throws only
                    return;
                }
                try {
                    v = op(op, v, false);
                } catch (ScenarioException | LoopClosedException e) {
                    throw e;
                } catch (Throwable t) {
                    k.fail().accept(ValueException.reasonOf(t));
                    return;
                }
            }
            k.done().run();
        }

        /**
         * The for-await loop from its {@code n}-th turn: await next(), run the body; a break (after the
         * {@code times}-th turn), a throw or a return closes the iterator first ({@code await it.return()}).
         */
        private void forAwait(Op.ForAwaitInterval f, TimersPromises.Interval it, int n, Continuation k) {
            Consumer<Runnable> closeThen = then -> loop.whenSettled(it.close(), (x, rejected) -> then.run());
            loop.whenSettled(it.next(), (step, rejected) -> {
                if (((TimersPromises.Step) step).done()) {
                    k.done().run();
                    return;
                }
                Continuation body = new Continuation(
                        () -> {
                            if (n + 1 >= f.times()) closeThen.accept(k.done());
                            else forAwait(f, it, n + 1, k);
                        },
                        reason -> closeThen.accept(() -> k.fail().accept(reason)),
                        value -> closeThen.accept(() -> k.ret().accept(value)));
                runAsync(f.body(), 0, ((TimersPromises.Step) step).value(), body);
            });
        }

        /**
         * Iterations {@code from..} of a repeat in an async body, then {@code k}: an iteration that
         * completes without suspending goes straight on to the next (a loop, not a recursion), one that
         * awaits goes on from its continuation; a throw or a return leaves through {@code k}.
         */
        private void repeatAsync(Op.Repeat rep, int from, Object v, Continuation k) {
            for (int i = from; i < rep.times(); i++) {
                int next = i + 1;
                boolean[] running = {true}, doneNow = {false};
                runAsync(rep.body(), 0, v, k.whenDone(() -> {
                    if (running[0]) doneNow[0] = true;
                    else repeatAsync(rep, next, v, k);
                }));
                running[0] = false;
                if (!doneNow[0]) return; // suspended, thrown or returned: its continuation goes on
            }
            k.done().run();
        }

        /**
         * {@code k} after the try's finally block, if it has one: the block's own throw or return replaces
         * the outcome, a rejection or a return alike; when it completes normally, the outcome stands.
         */
        private Continuation withFinally(Op.Try t, Object v, Continuation k) {
            if (t.finalizer() == null) return k;
            return new Continuation(
                    () -> runAsync(t.finalizer(), 0, v, k),
                    reason -> runAsync(
                            t.finalizer(), 0, v, k.whenDone(() -> k.fail().accept(reason))),
                    value -> runAsync(
                            t.finalizer(), 0, v, k.whenDone(() -> k.ret().accept(value))));
        }

        // ------------------------------------------------------------- operands

        private ThrowingFunction<Object, Object> handler(Op.Handler h) {
            if (h == null) return null;
            return arg -> handler(h.body(), arg, h.ret());
        }

        /** A handler's result: its body's return op if one ran, else its {@code return} field. */
        private Object handler(List<Op> body, Object arg, Op.Return ret) {
            if (body != null) {
                try {
                    block(body, arg, false);
                } catch (Returned r) {
                    return r.value;
                }
            }
            return returned(ret);
        }

        private Object returned(Op.Return ret) {
            if (ret == null) return null;
            if (ret.thrown() != null) throw new ValueException(JsValues.fromJson(ret.thrown()));
            return operand(ret.promise(), ret.value());
        }

        /** P[promise] (a promise or a thenable) if a promise is named, else the value. */
        private Object operand(String promise, JsonNode value) {
            if (promise == null) return JsValues.fromJson(value);
            Object p = promises.get(promise);
            if (p == null)
                throw new ScenarioException("unknown promise '" + promise + "' (used before it was defined)");
            return p;
        }

        /** P[id] for then, catch and finally, which a thenable object does not have. */
        private Promise<?> promiseOf(String id) {
            if (operand(id, null) instanceof Promise<?> p) return p;
            throw new ScenarioException("'" + id + "' is a thenable: then, catch and finally need a promise");
        }

        private Settle resolverOf(String id) {
            Settle r = resolvers.get(id);
            if (r == null)
                throw new ScenarioException("unknown resolver '" + id
                        + "' (used before its newPromise ran or its thenable's then was called)");
            return r;
        }

        private Listener functionOf(String id) {
            Listener fn = functions.get(id);
            if (fn == null) throw new ScenarioException("unknown listener '" + id + "' (used before it was added)");
            return fn;
        }

        private EventEmitter emitterOf(String id) {
            EventEmitter e = emitters.get(id);
            if (e == null) throw new ScenarioException("unknown emitter '" + id + "' (used before it was created)");
            return e;
        }

        private void put(Op.MakesPromise op, Promise<?> p) {
            if (op.id() != null) promises.put(op.id(), p);
        }

        private void putTimer(Op.StartsTimer op, Object handle) {
            if (op.id() != null) timers.put(op.id(), handle);
        }
    }
}
