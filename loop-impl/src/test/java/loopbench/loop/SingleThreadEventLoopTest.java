package loopbench.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import loopbench.core.LoopOptions;
import org.junit.jupiter.api.Test;

class SingleThreadEventLoopTest {
    @Test
    void awaitIsRefusedWithAReasonAndAWayOut() {
        try (SingleThreadEventLoop loop = new SingleThreadEventLoop(LoopOptions.DEFAULTS)) {
            AtomicReference<IllegalStateException> e = new AtomicReference<>();
            loop.run(() -> loop.async(() -> {
                e.set(assertThrows(IllegalStateException.class, () -> loop.await(loop.resolved(1))));
                return null;
            }));
            assertTrue(
                    e.get().getMessage().contains("would block the loop's only thread"),
                    e.get().getMessage());
            assertTrue(e.get().getMessage().contains("promise.then"), e.get().getMessage());
            assertFalse(loop.canAwait());
        }
    }

    @Test
    void everyCallbackRunsOnOneDedicatedPlatformThreadAndOffloadsOnTheFixedPool() {
        Set<Thread> loopThreads = new HashSet<>(), workers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (SingleThreadEventLoop loop = new SingleThreadEventLoop(LoopOptions.DEFAULTS.withWorkerThreads(2))) {
            loop.run(() -> {
                loopThreads.add(Thread.currentThread());
                for (int i = 0; i < 50; i++) {
                    loop.setImmediate(() -> loopThreads.add(Thread.currentThread()));
                    loop.offload(() -> workers.add(Thread.currentThread()))
                            .then(v -> loopThreads.add(Thread.currentThread()));
                }
            });
        }
        assertEquals(1, loopThreads.size());
        Thread t = loopThreads.iterator().next();
        assertFalse(t.isVirtual());
        assertTrue(t.getName().startsWith("loopbench-loop-"), t.getName());
        assertTrue(workers.size() <= 2 && !workers.isEmpty(), "fixed pool of 2: " + workers);
    }
}
