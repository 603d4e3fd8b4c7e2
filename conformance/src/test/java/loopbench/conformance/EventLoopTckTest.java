package loopbench.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import loopbench.core.AggregateError;
import loopbench.core.AsyncContinuation;
import loopbench.core.EventEmitter;
import loopbench.core.EventLoop;
import loopbench.core.EventLoopCore;
import loopbench.core.EventLoopProvider;
import loopbench.core.EventLoops;
import loopbench.core.LoopClosedException;
import loopbench.core.LoopGroup;
import loopbench.core.LoopOptions;
import loopbench.core.Promise;
import loopbench.core.ValueException;
import loopbench.core.testing.AllRuntimes;
import loopbench.core.testing.AwaitingRuntimes;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EventLoop contract, written once and run on every runtime: ordering, promise job counts,
 * emitters, error hooks, bad input, cross-thread submission and close(). Ordering is observed
 * through the loop's own log, never through sleeps.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventLoopTckTest {
    @TempDir
    Path tmp;

    private static EventLoop loop(String runtime) {
        return EventLoops.create(runtime, LoopOptions.DEFAULTS.withCloseTimeoutMillis(3_000));
    }

    /** Runs {@code main} on a fresh loop with log-and-continue hooks; returns the log. */
    private static List<String> run(String runtime, Consumer<Ctx> main) {
        try (EventLoop loop = loop(runtime)) {
            Ctx c = new Ctx(loop);
            loop.onUncaughtException(e -> c.log("uncaught:" + JsValues.text(e)));
            loop.onUnhandledRejection((r, p) -> c.log("unhandled:" + JsValues.text(r)));
            loop.run(() -> main.accept(c));
            return c.log;
        }
    }

    record Ctx(EventLoop loop, List<String> log) {
        Ctx(EventLoop loop) {
            this(loop, Collections.synchronizedList(new ArrayList<>()));
        }

        void log(String s) {
            log.add(s);
        }

        /** then-chain c1..cN logging "tick k": the clock promise job counts are read against. */
        void ticks(int n) {
            Promise<Object> p = loop.resolved(0);
            for (int k = 1; k <= n; k++) {
                int kk = k;
                p = p.then(v -> {
                    log("tick " + kk);
                    return null;
                });
            }
        }
    }

    @AllRuntimes
    void nextTicksDrainBeforeMicrotasksAfterEveryCallback(String rt) {
        assertEquals(List.of("main", "tick", "micro", "t1", "t1 tick", "t1 micro", "t2"), run(rt, c -> {
            c.loop()
                    .setTimeout(
                            () -> {
                                c.log("t1");
                                c.loop().queueMicrotask(() -> c.log("t1 micro"));
                                c.loop().nextTick(() -> c.log("t1 tick"));
                            },
                            1);
            c.loop().setTimeout(() -> c.log("t2"), 1);
            c.loop().queueMicrotask(() -> c.log("micro"));
            c.loop().nextTick(() -> c.log("tick"));
            c.log("main");
        }));
    }

    @AllRuntimes
    void resolvingWithAPromiseCostsTwoMoreJobs(String rt) {
        assertEquals(List.of("tick 1", "tick 2", "adopted v", "tick 3"), run(rt, c -> {
            Promise<Object> inner = c.loop().resolved("v");
            Promise<Object> outer = c.loop().newPromise(r -> r.resolve(inner));
            outer.then(v -> {
                c.log("adopted " + v);
                return null;
            });
            c.ticks(3);
        }));
    }

    @AllRuntimes
    void finallyPassesTheValueOnAtTickFour(String rt) {
        assertEquals(List.of("finally", "tick 1", "tick 2", "tick 3", "after 7", "tick 4"), run(rt, c -> {
            c.loop()
                    .resolved(7)
                    .onFinally(x -> {
                        c.log("finally");
                        return null;
                    })
                    .then(v -> {
                        c.log("after " + v);
                        return null;
                    });
            c.ticks(4);
        }));
    }

    @AllRuntimes
    void combinators(String rt) {
        List<String> log = run(rt, c -> {
            EventLoop l = c.loop();
            l.all(List.of(l.resolved(1), 2)).then(v -> {
                c.log("all " + v);
                return null;
            });
            l.any(List.of(l.rejected("a"), l.rejected("b"))).catchError(e -> {
                c.log("any " + ((AggregateError) e).errors());
                return null;
            });
            l.race(List.of(l.rejected("first"), l.resolved(2))).catchError(e -> {
                c.log("race " + e);
                return null;
            });
            l.allSettled(List.of()).then(v -> {
                c.log("settled " + v);
                return null;
            });
        });
        assertEquals(List.of("settled []", "all [1, 2]", "any [a, b]", "race first"), log); // as node -e prints it
    }

    @AllRuntimes
    void chainingCycleRejectsWithTypeError(String rt) {
        AtomicReference<Object> reason = new AtomicReference<>();
        run(rt, c -> {
            Promise<Object>[] self = new Promise[1];
            self[0] = c.loop().resolved(1).then(v -> self[0]);
            self[0].catchError(e -> {
                reason.set(e);
                return null;
            });
        });
        assertInstanceOf(Promise.TypeError.class, reason.get());
    }

    @AllRuntimes
    void emitterRules(String rt) {
        List<String> log = run(rt, c -> {
            EventEmitter e = c.loop().newEmitter();
            e.on("x", v -> {
                c.log("a " + v);
                e.on("x", w -> c.log("added " + w)); // not in this emit: it runs over a snapshot
            });
            e.once("x", v -> c.log("once " + v));
            e.prependListener("x", v -> c.log("first " + v));
            e.emit("x", 1);
            e.emit("x", 2);
            EventEmitter.UnhandledErrorEvent err =
                    assertThrows(EventEmitter.UnhandledErrorEvent.class, () -> e.emit("error", "bad"));
            c.log("error " + err.context());
        });
        assertEquals(List.of("first 1", "a 1", "once 1", "first 2", "a 2", "added 2", "error bad"), log);
    }

    @AllRuntimes
    void uncaughtErrorWithNodesDefaultStopsTheLoopAndRunThrows(String rt) {
        try (EventLoop loop = loop(rt)) {
            List<String> log = new ArrayList<>();
            EventLoopCore.FatalLoopException e = assertThrows(
                    EventLoopCore.FatalLoopException.class,
                    () -> loop.run(() -> {
                        loop.setTimeout(() -> log.add("never"), 200);
                        loop.setImmediate(() -> {
                            throw new ValueException("boom");
                        });
                    }));
            assertTrue(e.getMessage().contains("boom"), e.getMessage());
            assertEquals(List.of(), log);
        }
    }

    @AllRuntimes
    void unhandledRejectionWithNodesDefaultIsFatal(String rt) {
        try (EventLoop loop = loop(rt)) {
            EventLoopCore.FatalLoopException e =
                    assertThrows(EventLoopCore.FatalLoopException.class, () -> loop.run(() -> loop.rejected("lost")));
            assertTrue(e.getMessage().contains("lost"), e.getMessage());
        }
    }

    @AllRuntimes
    void hooksKeepTheLoopGoing(String rt) {
        assertEquals(List.of("uncaught:boom", "unhandled:late", "caught late", "after"), run(rt, c -> {
            EventLoop l = c.loop();
            l.nextTick(() -> {
                throw new ValueException("boom");
            });
            Promise<Object> p = l.rejected("late");
            // The throwing nextTick ends main's drain; the next drain (the check phase's scope)
            // reports the rejection, well before this 50 ms timer handles it too late.
            l.setTimeout(
                    () -> p.catchError(e -> {
                        c.log("caught " + e);
                        return null;
                    }),
                    50);
            l.setTimeout(() -> c.log("after"), 100);
        }));
    }

    @AllRuntimes
    void offloadAndReadFileSettleOnTheLoop(String rt) throws Exception {
        Path f = tmp.resolve("data.txt");
        Files.writeString(f, "hello");
        List<String> log = run(rt, c -> {
            EventLoop l = c.loop();
            Thread loopThread = Thread.currentThread();
            l.offload(() -> Thread.currentThread() == loopThread ? "on loop" : "off loop")
                    .then(v -> {
                        c.log(v + ", settled on loop: " + (Thread.currentThread() == loopThread));
                        return null;
                    });
            l.offload(() -> {
                        throw new IllegalStateException("work failed");
                    })
                    .catchError(e -> {
                        c.log("rejected " + ((Exception) e).getMessage());
                        return null;
                    });
            l.readFile(f).then(b -> {
                c.log("read " + new String(b));
                return null;
            });
            l.readFile(
                    tmp.resolve("missing"),
                    (b, err) -> c.log("missing: " + err.getClass().getSimpleName()));
        });
        assertTrue(log.contains("off loop, settled on loop: true"), log.toString());
        assertTrue(log.contains("rejected work failed"), log.toString());
        assertTrue(log.contains("read hello"), log.toString());
        assertTrue(log.contains("missing: NoSuchFileException"), log.toString());
    }

    @AllRuntimes
    void badInputIsRefusedClearly(String rt) {
        try (EventLoop loop = loop(rt)) {
            AtomicReference<Throwable> inLoop = new AtomicReference<>();
            loop.run(() -> {
                try {
                    loop.setTimeout(null, 1);
                } catch (NullPointerException e) {
                    inLoop.set(e);
                }
            });
            assertEquals("setTimeout: callback is null", inLoop.get().getMessage());
            IllegalStateException foreign =
                    assertThrows(IllegalStateException.class, () -> loop.setImmediate(() -> {}));
            assertTrue(
                    foreign.getMessage().contains("does not own this " + rt + " loop")
                            && foreign.getMessage().contains("execute()"),
                    foreign.getMessage());
            assertThrows(NullPointerException.class, () -> loop.execute(null));
            assertThrows(IllegalArgumentException.class, () -> EventLoops.create("nodejs"));
        }
    }

    /** 'exit' drops its own nextTicks (process._exiting), and only its own: a later run's nextTicks run. */
    @AllRuntimes
    void exitDropsItsNextTicksButALaterRunKeepsTheirs(String rt) {
        List<String> log = new ArrayList<>();
        try (EventLoop loop = loop(rt)) {
            loop.onExit(() -> {
                log.add("exit");
                loop.nextTick(() -> log.add("never: a tick queued in exit"));
            });
            loop.run(() -> loop.nextTick(() -> log.add("tick 1")));
            loop.run(() -> loop.nextTick(() -> log.add("tick 2")));
        }
        assertEquals(List.of("tick 1", "exit", "tick 2", "exit"), log);
    }

    @AllRuntimes
    void schedulingAfterCloseThrowsLoopClosed(String rt) {
        EventLoop loop = loop(rt);
        loop.run(() -> {});
        loop.close();
        loop.close(); // twice: a no-op
        assertTrue(loop.isClosed());
        assertThrows(LoopClosedException.class, () -> loop.execute(() -> {}));
        assertThrows(LoopClosedException.class, () -> loop.run(() -> {}));
        assertThrows(LoopClosedException.class, loop::keepAlive);
    }

    @AllRuntimes
    void closeFromInsideACallbackStopsAfterIt(String rt) {
        List<String> log = new ArrayList<>();
        EventLoop loop = loop(rt);
        AtomicReference<Throwable> after = new AtomicReference<>();
        loop.run(() -> {
            loop.setTimeout(() -> log.add("never"), 50);
            loop.setImmediate(() -> {
                log.add("closing");
                loop.close();
                try {
                    loop.setImmediate(() -> log.add("never either"));
                } catch (LoopClosedException e) {
                    after.set(e);
                }
            });
        });
        assertEquals(List.of("closing"), log);
        assertInstanceOf(LoopClosedException.class, after.get());
        assertTrue(loop.isClosed());
    }

    @AllRuntimes
    void closeFromAnotherThreadWhileTheLoopWaits(String rt) throws Exception {
        EventLoop loop = loop(rt);
        CountDownLatch started = new CountDownLatch(1);
        Thread runner = new Thread(() -> loop.run(() -> {
            loop.setTimeout(() -> {}, 600_000); // would keep the loop alive for ten minutes
            started.countDown();
        }));
        runner.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        loop.close();
        runner.join(10_000);
        assertFalse(runner.isAlive(), "run() returned after close()");
    }

    /** close() from another thread while a callback is busy: it waits for that callback (bounded), then stops. */
    @AllRuntimes
    void closeWhileACallbackIsBusyWaitsForItThenStops(String rt) throws Exception {
        EventLoop loop = loop(rt);
        CountDownLatch busy = new CountDownLatch(1);
        AtomicInteger after = new AtomicInteger();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        AtomicReference<Throwable> fromRun = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                loop.run(() -> loop.setImmediate(() -> {
                    busy.countDown();
                    while (!loop.isClosed()) Thread.onSpinWait(); // busy until close() is called
                    try {
                        loop.setImmediate(after::incrementAndGet); // refused: the loop is closing
                    } catch (LoopClosedException e) {
                        refused.set(e);
                        throw e; // and not caught by the program: the close ends the callback
                    }
                }));
            } catch (Throwable t) {
                fromRun.set(t);
            }
        });
        runner.start();
        assertTrue(busy.await(10, TimeUnit.SECONDS));
        loop.close();
        runner.join(10_000);
        assertFalse(runner.isAlive());
        assertEquals(0, after.get(), "nothing runs after close()");
        assertInstanceOf(LoopClosedException.class, refused.get());
        assertNull(fromRun.get(), "run() returns as close() asked: the refused call is not the program's error");
    }

    /** Many producers racing the loop into poll's sleep: no submission is lost, none runs twice. */
    @AllRuntimes
    void crossThreadSubmissionsAreNeverLost(String rt) throws Exception {
        int producers = 4, each = 20_000;
        try (EventLoop loop = loop(rt)) {
            AtomicInteger ran = new AtomicInteger();
            int[] onLoop = {0};
            AutoCloseable alive = loop.keepAlive();
            CountDownLatch done = new CountDownLatch(producers);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                Thread t = new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        loop.execute(() -> {
                            onLoop[0]++;
                            ran.incrementAndGet();
                        });
                        if (i % 512 == 0) Thread.yield(); // let the loop fall asleep between bursts
                    }
                    done.countDown();
                });
                threads.add(t);
            }
            Thread closer = new Thread(() -> {
                try {
                    done.await();
                    alive.close();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            loop.run(() -> {
                threads.forEach(Thread::start);
                closer.start();
            });
            closer.join();
            assertEquals(producers * each, ran.get());
            assertEquals(producers * each, onLoop[0], "every callback ran on the loop, one at a time");
        }
    }

    /**
     * A body parked at the end of the run is one Node never resumes. close() must end its thread, so
     * it resumes it with a {@link LoopClosedException}; a body that catches it anyway can schedule
     * nothing and await nothing, and its promise (and the promise of a body awaiting it) stays pending.
     */
    @AwaitingRuntimes
    void aBodyParkedAtCloseCanDoNothingAndItsPromiseStaysPending(String rt) throws Exception {
        EventLoop loop = loop(rt);
        List<Throwable> inCatch = Collections.synchronizedList(new ArrayList<>());
        Set<Thread> bodies = Collections.synchronizedSet(new HashSet<>());
        AtomicReference<Promise<Object>> parked = new AtomicReference<>();
        AtomicReference<Promise<Object>> awaitingIt = new AtomicReference<>();
        loop.run(() -> {
            parked.set(loop.async(() -> {
                bodies.add(Thread.currentThread());
                try {
                    return loop.await(loop.newPromise(r -> {})); // nothing will ever settle it
                } catch (LoopClosedException closed) {
                    inCatch.add(closed);
                    for (Runnable call : List.<Runnable>of(
                            () -> loop.setTimeout(() -> {}, 0), () -> loop.nextTick(() -> {}), () -> loop.await(1))) {
                        try {
                            call.run();
                        } catch (LoopClosedException again) {
                            inCatch.add(again);
                        }
                    }
                    return "swallowed"; // a body that goes on as if nothing happened
                }
            }));
            awaitingIt.set(loop.async(() -> {
                bodies.add(Thread.currentThread());
                return loop.await(parked.get());
            }));
        });
        assertTrue(parked.get().isPending() && awaitingIt.get().isPending(), "run() returned with both parked");
        loop.close();
        assertEquals(4, inCatch.size(), "the cancelled await, then setTimeout, nextTick and await refused: " + inCatch);
        inCatch.forEach(t -> assertInstanceOf(LoopClosedException.class, t));
        assertTrue(parked.get().isPending(), "a cancelled body's return value settles nothing");
        assertTrue(awaitingIt.get().isPending(), "a cancelled body's throw settles nothing");
        for (Thread t : bodies) {
            t.join(5_000);
            assertFalse(t.isAlive(), t + " alive after close()");
        }
    }

    /**
     * An await whose resume job is the only microtask continues in place (no token hand-off); with
     * other jobs queued it parks and resumes in JavaScript's order. Node:
     * {@code a(); b(); queueMicrotask(m)} with a, b looping {@code await 1; log} prints a0 b0 m a1 b1 a2 b2.
     */
    @AwaitingRuntimes
    void awaitOfSettledPromiseResumesInPlaceOnlyWhenItsJobIsNext(String rt) {
        List<String> interleaved = run(rt, c -> {
            for (String name : List.of("a", "b")) {
                c.loop().async(() -> {
                    for (int i = 0; i < 3; i++) {
                        c.loop().await(1);
                        c.log(name + i);
                    }
                    return null;
                });
            }
            c.loop().queueMicrotask(() -> c.log("m"));
        });
        assertEquals(List.of("a0", "b0", "m", "a1", "b1", "a2", "b2"), interleaved);

        try (EventLoop loop = loop(rt)) {
            int[] resumed = {0};
            loop.run(() -> loop.async(() -> {
                Promise<Object> settled = loop.resolved("v");
                for (int i = 0; i < 1_000; i++) {
                    if (loop.await(settled) == "v") resumed[0]++;
                }
                return null;
            }));
            assertEquals(1_000, resumed[0]);
            // start and first resume hand off; the other 999 awaits find their job next and go on in place
            assertTrue(
                    loop.stats().handOffs() <= 2,
                    rt + ": hand-offs " + loop.stats().handOffs());
            assertEquals(1_000, loop.stats().jobs(), "each await is still one promise job");
        }
    }

    /**
     * {@code loop.whenSettled(x, rest)} is {@code await x} written as a continuation, on every runtime:
     * the same order as the blocking await above (Node: a0 b0 m a1 b1 a2 b2), one job per await, and
     * a rejection arrives as {@code rejected}. An {@link AsyncContinuation} registered again while it
     * still waits is resumed once per registration, each with its own value.
     */
    @AllRuntimes
    void whenSettledIsAnAwaitWrittenAsAContinuation(String rt) {
        final class Counting extends AsyncContinuation {
            final Ctx c;
            final String name;
            int i;

            Counting(Ctx c, String name) {
                this.c = c;
                this.name = name;
            }

            @Override
            public void settled(Object value, boolean rejected) {
                c.log(name + i + (rejected ? " rejected " : " ") + value);
                if (++i < 3) c.loop().whenSettled(value, this);
            }
        }
        try (EventLoop loop = loop(rt)) {
            Ctx c = new Ctx(loop);
            loop.run(() -> {
                loop.whenSettled(1, new Counting(c, "a"));
                loop.whenSettled(loop.resolved(2), new Counting(c, "b"));
                loop.queueMicrotask(() -> c.log("m"));
            });
            assertEquals(List.of("a0 1", "b0 2", "m", "a1 1", "b1 2", "a2 1", "b2 2"), c.log());
            assertEquals(7, loop.stats().jobs(), "one job per await, and the microtask");
        }
        List<String> log = run(rt, c -> {
            Promise.Resolvers<Object> later = c.loop().deferred();
            Counting k = new Counting(c, "k");
            k.i = 2; // one resume each, no re-registration
            c.loop().whenSettled(later.promise(), k);
            c.loop().whenSettled("now", k); // still waiting on `later`: gets a job of its own
            c.loop().whenSettled(c.loop().rejected("no"), (v, rejected) -> {
                c.log("r " + rejected + " " + v);
                later.resolve("later");
            });
        });
        assertEquals(List.of("k2 now", "r true no", "k3 later"), log);
        try (EventLoop loop = loop(rt)) {
            loop.run(() -> {
                NullPointerException e = assertThrows(NullPointerException.class, () -> loop.whenSettled(1, null));
                assertTrue(e.getMessage().contains("continuation"), e.getMessage());
            });
        }
    }

    /** Every thread a loop used (driver, bodies, offloads) has ended once close() returns. */
    @AllRuntimes
    void noThreadSurvivesClose(String rt) throws Exception {
        Set<Thread> seen = Collections.synchronizedSet(new HashSet<>());
        Set<Thread> platformBefore = loopbenchPlatformThreads();
        EventLoop loop = loop(rt);
        loop.onUnhandledRejection((r, p) -> {});
        loop.run(() -> {
            seen.add(Thread.currentThread());
            for (int i = 0; i < 8; i++) {
                loop.offload(() -> {
                    seen.add(Thread.currentThread());
                    return 1;
                });
            }
            if (loop.canAwait()) {
                for (int i = 0; i < 4; i++) {
                    loop.async(() -> {
                        seen.add(Thread.currentThread());
                        return loop.await(loop.newPromise(r -> {})); // never settles: cancelled by close()
                    });
                }
            }
        });
        loop.close();
        for (Thread t : seen) {
            t.join(5_000);
            assertFalse(t.isAlive(), rt + ": " + t + " still alive after close()");
        }
        Set<Thread> started = loopbenchPlatformThreads();
        started.removeAll(platformBefore);
        assertEquals(Set.of(), started, "loopbench platform threads this loop started, alive after close()");
    }

    /** A callback that holds the loop past the threshold is reported once, with the holding thread's stack. */
    @AllRuntimes
    void blockedLoopIsReportedOnceWithItsStack(String rt) {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        long reports;
        try (EventLoop loop = EventLoops.create(rt, LoopOptions.DEFAULTS.withBlockedThresholdMillis(50))) {
            loop.run(() -> loop.setImmediate(() -> {
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                // hold the loop until the detector has seen it (its own signal, not a sleep), then a bit longer
                while (loop.stats().blockedReports() == 0 && System.nanoTime() < giveUp) Thread.onSpinWait();
                long more = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                while (System.nanoTime() < more) Thread.onSpinWait();
            }));
            reports = loop.stats().blockedReports();
        } finally {
            System.setErr(saved);
        }
        assertEquals(1, reports, "reported once per callback, however long it runs");
        String text = err.toString();
        assertTrue(
                text.contains("the " + rt + " loop has been blocked for")
                        && text.contains("blockedLoopIsReportedOnceWithItsStack"),
                text);
    }

    /** The provider is where a runtime's name and capabilities are stated; its loops agree with it. */
    @AllRuntimes
    void theProviderStatesWhatItsLoopsDo(String rt) {
        EventLoopProvider p = EventLoops.provider(rt);
        assertEquals(rt, p.name());
        assertFalse(p.description().isBlank(), rt + ": a description for --help and the README");
        try (EventLoop loop = p.create(LoopOptions.DEFAULTS)) {
            assertEquals(rt, loop.runtime());
            assertEquals(p.canAwait(), loop.canAwait(), rt + ": the provider says whether its loops can await");
        }
    }

    /** Loops of one group run in turn on what the group shares; closing them, then the group, ends every thread. */
    @AllRuntimes
    void aGroupsLoopsRunAndClosingTheGroupEndsItsThreads(String rt) {
        Set<Thread> before = loopbenchPlatformThreads();
        List<Object> results = Collections.synchronizedList(new ArrayList<>());
        try (LoopGroup group =
                EventLoops.provider(rt).newGroup(LoopOptions.DEFAULTS.withCloseTimeoutMillis(3_000), 2)) {
            for (int i = 0; i < 3; i++) {
                int id = i;
                try (EventLoop loop = group.newLoop()) {
                    loop.run(() -> loop.offload(() -> id).then(v -> results.add(v)));
                }
            }
        }
        assertEquals(List.of(0, 1, 2), results);
        Set<Thread> started = loopbenchPlatformThreads();
        started.removeAll(before);
        assertEquals(Set.of(), started, rt + ": loopbench platform threads the group started, alive after close()");
        assertThrows(
                IllegalArgumentException.class, () -> EventLoops.provider(rt).newGroup(LoopOptions.DEFAULTS, -1));
    }

    /**
     * The script body is a callback too (issue 19, defect 4): a spin in it, or in a microtask it
     * queued (drained in its scope), is reported like a spin in a timer.
     */
    @AllRuntimes
    void blockedScriptBodyAndItsDrainAreReported(String rt) {
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true));
        try {
            for (boolean inMicrotask : new boolean[] {false, true}) {
                try (EventLoop loop = EventLoops.create(rt, LoopOptions.DEFAULTS.withBlockedThresholdMillis(50))) {
                    Runnable spin = () -> spinUntilReported(loop);
                    loop.run(() -> {
                        if (inMicrotask) loop.queueMicrotask(spin);
                        else spin.run();
                    });
                    assertEquals(
                            1,
                            loop.stats().blockedReports(),
                            rt + (inMicrotask ? ": a microtask queued by main" : ": main"));
                }
            }
        } finally {
            System.setErr(saved);
        }
    }

    /** Holds the loop until the detector reports it (its own signal), giving up after 10 s. */
    private static void spinUntilReported(EventLoop loop) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (loop.stats().blockedReports() == 0 && System.nanoTime() < giveUp) Thread.onSpinWait();
    }

    static Set<Thread> loopbenchPlatformThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("loopbench-")
                        && !t.getName().startsWith("loopbench-scenario")
                        && !t.getName().startsWith("loopbench-blocked")
                        && t.isAlive())
                .collect(java.util.stream.Collectors.toCollection(HashSet::new));
    }
}
