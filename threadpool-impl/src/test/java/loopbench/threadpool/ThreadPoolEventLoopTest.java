package loopbench.threadpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import loopbench.core.LoopClosedException;
import loopbench.core.LoopOptions;
import loopbench.core.Promise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadPoolEventLoopTest {
    private static final LoopOptions OPTIONS = LoopOptions.DEFAULTS.withCloseTimeoutMillis(3_000);

    private static PoolSize pool(int threads) {
        return new PoolSize(threads, threads, 1_000);
    }

    /** Driver + 3 parked bodies = 4 of 4 threads: the 4th body cannot start; it fails, nothing hangs. */
    @Test
    void exhaustionFailsTheBodyThatCannotStartAndNamesThePool() {
        List<Object> failures = Collections.synchronizedList(new ArrayList<>());
        try (ThreadPoolEventLoop loop = new ThreadPoolEventLoop(OPTIONS, pool(4))) {
            loop.onUnhandledRejection((r, p) -> {});
            loop.run(() -> {
                Promise.Resolvers<Object> never = loop.deferred();
                for (int i = 0; i < 4; i++) {
                    loop.async(() -> loop.await(never.promise())).catchError(e -> {
                        failures.add(e);
                        return null;
                    });
                }
            });
            assertEquals(1, failures.size(), "three bodies park, the fourth has no thread: " + failures);
            PoolExhaustedException e = assertInstanceOf(PoolExhaustedException.class, failures.get(0));
            assertEquals(4, e.poolSize());
            assertTrue(e.getMessage().contains("all 4 of 4 pool threads are blocked"), e.getMessage());
        }
    }

    @Test
    void offloadIsRefusedTooWhenEveryThreadIsBlocked() {
        AtomicReference<Object> failure = new AtomicReference<>();
        try (ThreadPoolEventLoop loop = new ThreadPoolEventLoop(OPTIONS, pool(2))) {
            loop.onUnhandledRejection((r, p) -> {});
            loop.run(() -> loop.async(() -> {
                        // the driver waits for this body's hand-back; the body awaits an offload: 2 of 2 blocked
                        return loop.await(loop.offload(() -> "ran"));
                    })
                    .then(
                            v -> {
                                failure.set(v);
                                return null;
                            },
                            e -> {
                                failure.set(e);
                                return null;
                            }));
        }
        // With 2 threads: driver (blocked while the body runs) + body. The offload is queued, then the
        // body parks: every thread blocked, so the queued offload is failed instead of hanging.
        assertInstanceOf(PoolExhaustedException.class, failure.get(), String.valueOf(failure.get()));
    }

    /**
     * An offload waits for one queued behind it (as a socket read waits for a write that cannot get
     * a thread): no thread is blocked in an await, so only the stall check can see it. It fails the
     * queued one after the blocked threshold, and the loop ends instead of hanging.
     */
    @Test
    void aStalledPoolFailsItsQueuedWorkInsteadOfHanging() {
        AtomicReference<Object> second = new AtomicReference<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (ThreadPoolEventLoop loop = new ThreadPoolEventLoop(OPTIONS.withBlockedThresholdMillis(100), pool(2))) {
            loop.run(() -> {
                loop.offload(
                        () -> { // the second thread: waits for work queued behind it
                            release.await();
                            return null;
                        });
                loop.offload(
                                () -> { // queued: the driver holds the other thread
                                    release.countDown();
                                    return null;
                                })
                        .then(
                                v -> {
                                    second.set("ran");
                                    return null;
                                },
                                e -> {
                                    second.set(e);
                                    release.countDown(); // let the first one end, as a read ends when its socket closes
                                    return null;
                                });
            });
        }
        PoolExhaustedException e =
                assertInstanceOf(PoolExhaustedException.class, second.get(), String.valueOf(second.get()));
        assertTrue(e.getMessage().contains("threadpool stalled: all 2 pool threads busy"), e.getMessage());
    }

    /**
     * Under overload a stall repeats: every request's {@code async} finds the pool still full and its
     * body queued, and its driver would wait a whole threshold for each one (a 3 s bench point took 42 s
     * and one fork was killed by the watchdog). Once a stall is found, work is refused at once until a
     * task finishes, and a pool that got its thread back takes work again.
     */
    @Test
    void aStallIsFoundOnceAndWorkIsRefusedAtOnceUntilAThreadFrees() throws Exception {
        List<Object> bodies = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (BoundedPool shared = new BoundedPool(2, 2, 1_000, "loopbench-stall-test")) {
            try (ThreadPoolEventLoop loop = new ThreadPoolEventLoop(OPTIONS.withBlockedThresholdMillis(100), shared)) {
                loop.onUnhandledRejection((r, p) -> {});
                loop.run(() -> {
                    loop.offload(
                            () -> { // the other thread: waits, not blocked, as a socket read does
                                release.await();
                                return null;
                            });
                    for (int i = 0; i < 3; i++) { // the first waits for the stall check, the others must not
                        loop.async(() -> "started").then(bodies::add, bodies::add);
                    }
                    loop.setImmediate(release::countDown);
                });
            }
            assertEquals(3, bodies.size(), String.valueOf(bodies));
            for (Object b : bodies) {
                PoolExhaustedException e = assertInstanceOf(PoolExhaustedException.class, b, String.valueOf(b));
                assertTrue(e.getMessage().contains("threadpool stalled"), e.getMessage());
            }
            assertEquals(1, shared.stalls(), "one stall, found once: the later bodies were refused without a wait");

            while (shared.busyThreads() > 0) Thread.onSpinWait(); // the waiting offload's thread returns
            List<Object> after = Collections.synchronizedList(new ArrayList<>());
            try (ThreadPoolEventLoop loop = new ThreadPoolEventLoop(OPTIONS, shared)) {
                loop.run(() -> loop.async(() -> "started").then(after::add, after::add));
            }
            assertEquals(List.of("started"), after, "a thread finished since the stall: the pool takes work again");
        }
    }

    @Test
    void closeWithBlockedAwaitsEndsEveryThread() throws Exception {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        List<Object> outcomes = Collections.synchronizedList(new ArrayList<>());
        ThreadPoolEventLoop loop = new ThreadPoolEventLoop(OPTIONS, pool(8));
        loop.run(() -> {
            threads.add(Thread.currentThread());
            for (int i = 0; i < 5; i++) {
                loop.async(() -> {
                    threads.add(Thread.currentThread());
                    try {
                        return loop.await(loop.newPromise(r -> {}));
                    } catch (LoopClosedException e) {
                        outcomes.add(e);
                        throw e;
                    }
                });
            }
        });
        loop.close();
        assertEquals(5, outcomes.size());
        for (Thread t : threads) {
            t.join(5_000);
            assertFalse(t.isAlive(), t + " alive after close()");
            assertFalse(t.isVirtual());
        }
        assertEquals(0, loop.pool().poolSize());
    }

    @Test
    void loopsCanShareOnePool() {
        try (BoundedPool shared = new BoundedPool(8, 8, 100, "loopbench-shared-test")) {
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 3; i++) {
                int id = i;
                try (ThreadPoolEventLoop loop = new ThreadPoolEventLoop(LoopOptions.DEFAULTS, shared)) {
                    loop.run(() -> loop.async(() -> {
                        Object v = loop.await(loop.offload(() -> id));
                        log.add("loop " + v);
                        return v;
                    }));
                }
                assertTrue(shared.poolSize() > 0, "closing a loop leaves a shared pool running");
            }
            assertEquals(List.of("loop 0", "loop 1", "loop 2"), log);
        }
    }
}
