package loopbench.bench.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import loopbench.core.EventLoops;
import loopbench.core.testing.AllRuntimes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs each micro benchmark's body once per runtime, outside JMH: each one checks that its run did
 * all its work (see {@link Micro#check}), so a broken benchmark fails here rather than in a
 * half-hour JMH run. No timing is asserted.
 */
class MicroBenchmarksSmokeTest {

    @AllRuntimes
    void operationCosts(String runtime) throws Exception {
        PromiseCost promise = new PromiseCost();
        promise.runtime = runtime;
        promise.setUp();
        try {
            assertEquals(Micro.N, promise.promiseThenChain());
        } finally {
            promise.tearDown();
        }

        JobQueueCost jobs = new JobQueueCost();
        jobs.runtime = runtime;
        jobs.setUp();
        try {
            jobs.queueMicrotask();
            jobs.nextTick();
        } finally {
            jobs.tearDown();
        }

        ImmediateCost immediates = new ImmediateCost();
        immediates.runtime = runtime;
        immediates.setUp();
        try {
            assertEquals(Micro.N, immediates.setImmediateChain());
            assertEquals(Micro.N, immediates.setImmediateBatch());
        } finally {
            immediates.tearDown();
        }

        TimerCost timers = new TimerCost();
        timers.runtime = runtime;
        timers.setUp();
        try {
            assertEquals(Micro.N, timers.setTimeoutZeroBatch());
        } finally {
            timers.tearDown();
        }

        TimerScheduleCancel cancel = new TimerScheduleCancel();
        cancel.runtime = runtime;
        cancel.setUp();
        try {
            assertEquals(Micro.N, cancel.scheduleCancel());
            assertEquals(Micro.N, cancel.scheduleCancelEmptyList());
        } finally {
            cancel.tearDown();
        }

        RunCost run = new RunCost();
        run.runtime = runtime;
        run.setUp();
        try {
            assertEquals(1, run.emptyRun());
        } finally {
            run.tearDown();
        }

        CrossThreadSubmitLatency submit = new CrossThreadSubmitLatency();
        submit.runtime = runtime;
        submit.setUp();
        try {
            for (int i = 0; i < 100; i++) assertTrue(submit.executeRoundTrip());
        } finally {
            submit.tearDown();
        }
    }

    @AllRuntimes
    void awaits(String runtime) {
        AwaitCost await = new AwaitCost();
        await.runtime = runtime;
        await.setUp();
        try {
            long n = Micro.N;
            assertEquals(n * (n - 1) / 2, await.awaitValue());
        } finally {
            await.tearDown();
        }
        if (!EventLoops.provider(runtime).canAwait()) return; // TokenHandOff measures the await hand-off
        TokenHandOff handOff = new TokenHandOff();
        handOff.runtime = runtime;
        handOff.setUp();
        try {
            assertEquals(Micro.N_AWAIT, handOff.awaitSettled());
            assertEquals(Micro.N_AWAIT, handOff.handOff());
        } finally {
            handOff.tearDown();
        }
    }

    @AllRuntimes
    void memoryPerPendingTimer(String runtime) {
        MemoryPerPendingTimer b = new MemoryPerPendingTimer();
        b.runtime = runtime;
        b.setUp();
        try {
            MemoryPerPendingTimer.Bytes bytes = new MemoryPerPendingTimer.Bytes();
            b.measureBefore();
            b.pendingTimer();
            b.measureAfter(bytes);
            assertTrue(bytes.bytesPerTimer > 0, "bytes per pending timer: " + bytes.bytesPerTimer);
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop", "loom"})
    void memoryPerParkedAwait(String runtime) {
        MemoryPerParkedAwait b = new MemoryPerParkedAwait();
        b.runtime = runtime;
        b.setUp();
        try {
            MemoryPerParkedAwait.Bytes bytes = new MemoryPerParkedAwait.Bytes();
            b.measureBefore();
            assertEquals(MemoryPerParkedAwait.COUNT, b.parkedAwait());
            b.measureAfter(bytes);
            assertTrue(bytes.bytesPerParkedAwait > 0, "bytes per parked await: " + bytes.bytesPerParkedAwait);
        } finally {
            b.tearDown();
        }
    }

    @org.junit.jupiter.api.Test
    void floor() {
        ArrayDequeFloor f = new ArrayDequeFloor();
        f.setUp();
        assertEquals(0, f.queueMicrotask());
        assertEquals(Micro.N, f.setImmediateBatch());
        assertEquals(Micro.N, f.promiseThenChain());
    }
}
