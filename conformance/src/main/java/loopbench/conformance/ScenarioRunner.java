package loopbench.conformance;

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

import com.fasterxml.jackson.databind.JsonNode;

import loopbench.core.EventEmitter;
import loopbench.core.EventLoop;
import loopbench.core.EventLoops;
import loopbench.core.Immediate;
import loopbench.core.LoopOptions;
import loopbench.core.Promise;
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
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            program.fail(program.overtime());
            loop.close();
        }, limitMillis, TimeUnit.MILLISECONDS);
        try {
            loop.run(() -> program.block(scenario.main(), null, false));
        } catch (RuntimeException e) {
            program.fail("the loop failed: " + e.getMessage());
        } finally {
            watchdog.cancel(false);
            loop.close();
        }
        if (program.error != null) return new Result(scenario.name(), runtime, null, program.error);
        return new Result(scenario.name(), runtime, List.copyOf(program.log), null);
    }

    /** One run's state: the program's maps P, R, T, E and its log. */
    private final class Program {
        private final EventLoop loop;
        private final boolean realAwait;
        private final List<String> log = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, Promise<?>> promises = new HashMap<>();
        private final Map<String, Promise.Resolvers<?>> resolvers = new HashMap<>();
        private final Map<String, Object> timers = new HashMap<>();
        private final Map<String, EventEmitter> emitters = new HashMap<>();
        /** System.nanoTime() at which the run's time limit ends. */
        private final long deadline;
        private volatile String error;

        Program(EventLoop loop, long deadline) {
            this.loop = loop;
            this.deadline = deadline;
            this.realAwait = loop.canAwait();
            loop.onUncaughtException(e -> {
                if (!scenarioError(e)) log("uncaught:$v", e);
            });
            loop.onUnhandledRejection((reason, p) -> {
                if (!scenarioError(reason)) log("unhandledRejection:$v", reason);
            });
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
            log.add(msg.replace("$v", JsValues.text(v)));
        }

        // ------------------------------------------------------------- synchronous ops

        /** Runs a block; an await rebinds $v for the ops after it. */
        void block(JsonNode ops, Object v, boolean inAsync) {
            for (JsonNode op : ops) v = op(op, v, inAsync);
        }

        private Runnable callback(JsonNode ops, Object v) {
            return () -> block(ops, v, false);
        }

        private Object op(JsonNode op, Object v, boolean inAsync) {
            String name = op.get("op").textValue();
            switch (name) {
                case "log" -> log(op.get("msg").asText(), v);
                case "cpu" -> spin(op.get("ms").asDouble());
                case "setTimeout" -> putTimer(op, loop.setTimeout(callback(op.get("do"), v), op.get("ms").asDouble()));
                case "setInterval" -> {
                    int times = op.get("times").asInt();
                    Timeout[] handle = new Timeout[1];
                    int[] runs = {0};
                    handle[0] = loop.setInterval(() -> {
                        block(op.get("do"), v, false);
                        if (++runs[0] >= times) loop.clearInterval(handle[0]);
                    }, op.get("ms").asDouble());
                    putTimer(op, handle[0]);
                }
                case "setImmediate" -> putTimer(op, loop.setImmediate(callback(op.get("do"), v)));
                case "clearTimeout", "clearInterval" -> {
                    if (timers.get(op.get("id").textValue()) instanceof Timeout t) loop.clearTimeout(t);
                }
                case "clearImmediate" -> {
                    if (timers.get(op.get("id").textValue()) instanceof Immediate im) loop.clearImmediate(im);
                }
                case "nextTick" -> loop.nextTick(callback(op.get("do"), v));
                case "queueMicrotask" -> loop.queueMicrotask(callback(op.get("do"), v));
                case "io" -> loop.readFile(ioFile, (bytes, err) -> block(op.get("do"), v, false));
                case "newPromise" -> {
                    String id = op.get("id").textValue();
                    promises.put(id, loop.newPromise(r -> {
                        resolvers.put(id, r);
                        block(op.get("do"), v, false);
                    }));
                }
                case "resolve" -> resolverOf(op).resolve(operand(op));
                case "reject" -> resolverOf(op).reject(JsValues.fromJson(op.get("value")));
                case "resolved" -> put(op, loop.resolved(operand(op)));
                case "rejected" -> put(op, loop.rejected(JsValues.fromJson(op.get("value"))));
                case "then" -> put(op, promiseOf(op.get("on")).then(handler(op.get("fulfilled")), handler(op.get("rejected"))));
                case "catch" -> put(op, promiseOf(op.get("on")).catchError(handler(op)));
                case "finally" -> put(op, promiseOf(op.get("on")).onFinally(ignored -> {
                    block(op.get("do"), v, false);
                    return returned(op.get("return"));
                }));
                case "all", "allSettled", "race", "any" -> {
                    List<Object> items = new ArrayList<>();
                    for (JsonNode item : op.get("of")) items.add(item.isTextual() ? promiseOf(item) : operand(item));
                    put(op, switch (name) {
                        case "all" -> loop.all(items);
                        case "allSettled" -> loop.allSettled(items);
                        case "race" -> loop.race(items);
                        default -> loop.any(items);
                    });
                }
                case "async" -> put(op, realAwait ? loop.async(() -> {
                    block(op.get("do"), v, true);
                    return returned(op.get("return"));
                }) : asyncByContinuations(op, v));
                case "await" -> {
                    return loop.await(operand(op)); // reached only with a real await: see asyncByContinuations
                }
                case "try" -> {
                    try {
                        block(op.get("do"), v, inAsync);
                    } catch (ScenarioException e) {
                        throw e;
                    } catch (Throwable t) {
                        block(op.get("catch"), ValueException.reasonOf(t), inAsync);
                    }
                }
                case "throw" -> throw new ValueException(JsValues.fromJson(op.get("value")));
                case "emitter" -> emitters.put(op.get("id").textValue(), loop.newEmitter());
                case "on", "once", "prependListener" -> {
                    EventEmitter e = emitterOf(op);
                    String event = op.get("event").asText();
                    JsonNode body = op.get("do");
                    java.util.function.Consumer<Object> listener = arg -> block(body, arg, false);
                    switch (name) {
                        case "on" -> e.on(event, listener);
                        case "once" -> e.once(event, listener);
                        default -> e.prependListener(event, listener);
                    }
                }
                case "off" -> emitterOf(op).removeAllListeners(op.get("event").asText());
                case "emit" -> emitterOf(op).emit(op.get("event").asText(), JsValues.fromJson(op.get("value")));
                default -> throw new ScenarioException("unknown op '" + name + "'");
            }
            return v;
        }

        // ------------------------------------------------------------- async bodies without await

        private interface Continuation {
            void done();

            void fail(Object reason);
        }

        private Promise<?> asyncByContinuations(JsonNode op, Object v) {
            Promise.Resolvers<Object> r = loop.deferred();
            runAsync(op.get("do"), 0, v, new Continuation() {
                @Override
                public void done() {
                    try {
                        r.resolve(returned(op.get("return")));
                    } catch (ScenarioException e) {
                        throw e;
                    } catch (Throwable t) {
                        r.reject(ValueException.reasonOf(t));
                    }
                }

                @Override
                public void fail(Object reason) {
                    r.reject(reason);
                }
            });
            return r.promise();
        }

        /** Runs ops[i..] of an async body; an await suspends it as one reaction on PromiseResolve(x). */
        private void runAsync(JsonNode ops, int i, Object v, Continuation k) {
            for (; i < ops.size(); i++) {
                JsonNode op = ops.get(i);
                String name = op.get("op").textValue();
                int next = i + 1;
                if (name.equals("await")) {
                    Object awaited;
                    try {
                        awaited = operand(op);
                    } catch (ScenarioException e) {
                        throw e;
                    } catch (Throwable t) {
                        k.fail(ValueException.reasonOf(t));
                        return;
                    }
                    loop.whenSettled(awaited, (value, rejected) -> {
                        if (rejected) k.fail(value); else runAsync(ops, next, value, k);
                    });
                    return;
                }
                if (name.equals("try")) {
                    Object outer = v;
                    runAsync(op.get("do"), 0, v, new Continuation() {
                        @Override
                        public void done() {
                            runAsync(ops, next, outer, k);
                        }

                        @Override
                        public void fail(Object reason) {
                            runAsync(op.get("catch"), 0, reason, new Continuation() {
                                @Override
                                public void done() {
                                    runAsync(ops, next, outer, k);
                                }

                                @Override
                                public void fail(Object again) {
                                    k.fail(again);
                                }
                            });
                        }
                    });
                    return;
                }
                try {
                    v = op(op, v, false);
                } catch (ScenarioException e) {
                    throw e;
                } catch (Throwable t) {
                    k.fail(ValueException.reasonOf(t));
                    return;
                }
            }
            k.done();
        }

        // ------------------------------------------------------------- operands

        private ThrowingFunction<Object, Object> handler(JsonNode h) {
            if (h == null || h.isNull()) return null;
            return arg -> {
                block(h.has("do") ? h.get("do") : Scenario.JSON.createArrayNode(), arg, false);
                return returned(h.get("return"));
            };
        }

        private Object returned(JsonNode ret) {
            if (ret == null || ret.isNull()) return null;
            if (ret.has("throw")) throw new ValueException(JsValues.fromJson(ret.get("throw")));
            return operand(ret);
        }

        private Object operand(JsonNode op) {
            if (op.has("promise") && !op.get("promise").isNull()) return promiseOf(op.get("promise"));
            return JsValues.fromJson(op.get("value"));
        }

        private Promise<?> promiseOf(JsonNode id) {
            Promise<?> p = promises.get(id.textValue());
            if (p == null) throw new ScenarioException("unknown promise '" + id.textValue() + "' (used before it was defined)");
            return p;
        }

        private Promise.Resolvers<?> resolverOf(JsonNode op) {
            Promise.Resolvers<?> r = resolvers.get(op.get("id").textValue());
            if (r == null) throw new ScenarioException("unknown resolver '" + op.get("id").textValue() + "' (used before its newPromise ran)");
            return r;
        }

        private EventEmitter emitterOf(JsonNode op) {
            EventEmitter e = emitters.get(op.get("emitter").textValue());
            if (e == null) throw new ScenarioException("unknown emitter '" + op.get("emitter").textValue() + "' (used before it was created)");
            return e;
        }

        private void put(JsonNode op, Promise<?> p) {
            if (op.has("id")) promises.put(op.get("id").textValue(), p);
        }

        private void putTimer(JsonNode op, Object handle) {
            if (op.has("id")) timers.put(op.get("id").textValue(), handle);
        }
    }
}
