package loopbench.loom;

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
import loopbench.core.ValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VirtualThreadEventLoopTest {
    @Test
    void hundredThousandBodiesAwaitConcurrentlyAndResumeInOrder() {
        int n = 100_000;
        int[] order = new int[n];
        int[] next = {0};
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        VirtualThreadEventLoop loop = new VirtualThreadEventLoop(LoopOptions.DEFAULTS);
        List<Promise<Integer>> results = new ArrayList<>();
        loop.run(() -> {
            Promise.Resolvers<Object> gate = loop.deferred();
            for (int i = 0; i < n; i++) {
                int id = i;
                results.add(loop.async(() -> {
                    if (id % 1000 == 0) threads.add(Thread.currentThread());
                    loop.await(gate.promise()); // all n park here at once
                    order[next[0]++] = id; // resumed one job each, in registration order
                    return id;
                }));
            }
            assertEquals(n, ((VirtualThreadEventLoop) loop).parkedBodies());
            loop.setTimeout(() -> gate.resolve("go"), 1);
        });
        assertEquals(n, next[0]);
        for (int i = 0; i < n; i++) assertEquals(i, order[i]);
        assertTrue(results.stream().allMatch(p -> p.isFulfilled()));
        loop.close();
        threads.forEach(t -> assertFalse(t.isAlive(), t + " alive after close()"));
    }

    @Test
    void anAwaitThatNeverSettlesIsCancelledByClose() throws Exception {
        VirtualThreadEventLoop loop = new VirtualThreadEventLoop(LoopOptions.DEFAULTS);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        AtomicReference<Thread> body = new AtomicReference<>();
        AtomicReference<Promise<Object>> promise = new AtomicReference<>();
        loop.run(() -> promise.set(loop.async(() -> {
            body.set(Thread.currentThread());
            try {
                return loop.await(loop.newPromise(r -> {})); // nothing will ever settle it
            } catch (LoopClosedException e) {
                seen.set(e);
                throw e;
            }
        })));
        assertTrue(promise.get().isPending(), "run() returned: a pending promise keeps nothing alive, as in Node");
        long t0 = System.nanoTime();
        loop.close();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "close() did not wait for the await");
        assertInstanceOf(LoopClosedException.class, seen.get());
        assertTrue(
                seen.get().getMessage().contains("closed while this async body was waiting"),
                seen.get().getMessage());
        body.get().join(5_000);
        assertFalse(body.get().isAlive());
        assertTrue(promise.get().isPending(), "in Node the body never resumes: its promise never settles");
    }

    @Test
    void anExceptionAfterAnAwaitRejectsThatBodysPromise() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (VirtualThreadEventLoop loop = new VirtualThreadEventLoop(LoopOptions.DEFAULTS)) {
            loop.run(() -> loop.async(() -> {
                        loop.await(loop.resolved(1));
                        throw new ValueException("after await");
                    })
                    .catchError(e -> {
                        log.add("rejected: " + e);
                        return null;
                    }));
        }
        assertEquals(List.of("rejected: after await"), log);
    }

    @Test
    void bodiesRunOnVirtualThreadsAndNeverOverlap() {
        int[] inside = {0};
        int[] maxInside = {0};
        List<Boolean> virtual = Collections.synchronizedList(new ArrayList<>());
        try (VirtualThreadEventLoop loop = new VirtualThreadEventLoop(LoopOptions.DEFAULTS)) {
            loop.run(() -> {
                for (int i = 0; i < 200; i++) {
                    loop.async(() -> {
                        for (int k = 0; k < 5; k++) {
                            inside[0]++;
                            maxInside[0] = Math.max(maxInside[0], inside[0]);
                            virtual.add(Thread.currentThread().isVirtual());
                            inside[0]--;
                            loop.await(loop.offload(() -> 1));
                        }
                        return null;
                    });
                }
            });
        }
        assertEquals(1, maxInside[0]);
        assertTrue(virtual.stream().allMatch(v -> v));
    }
}
