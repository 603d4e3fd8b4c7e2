package loopbench.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import loopbench.core.EventLoop;
import loopbench.core.EventLoops;
import loopbench.core.testing.AllRuntimes;

/**
 * Node lets nextTick and microtask recursion starve the loop: a self-rescheduling chain runs to its
 * end before any timer or immediate (rule 4-5). Every runtime must starve the same way.
 */
class StarvationTest {
    @AllRuntimes
    void recursiveNextTicksAndMicrotasksRunBeforeAnyMacrotask(String rt) {
        List<String> log = new ArrayList<>();
        int n = 200_000;
        try (EventLoop loop = EventLoops.create(rt)) {
            loop.run(() -> {
                loop.setTimeout(() -> log.add("timer"), 0);
                loop.setImmediate(() -> log.add("immediate"));
                int[] ticks = {0}, micros = {0};
                Runnable tick = new Runnable() {
                    @Override
                    public void run() {
                        if (++ticks[0] < n) loop.nextTick(this);
                        else log.add("ticks done");
                    }
                };
                Runnable micro = new Runnable() {
                    @Override
                    public void run() {
                        if (++micros[0] < n) loop.queueMicrotask(this);
                        else log.add("microtasks done");
                    }
                };
                loop.nextTick(tick);
                loop.queueMicrotask(micro);
            });
        }
        assertEquals(List.of("ticks done", "microtasks done", "timer", "immediate"), log);
    }
}
