package loopbench.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import loopbench.bench.backend.BackendConfig;
import loopbench.bench.backend.DelayBackend;
import loopbench.core.EventLoops;
import loopbench.core.testing.SomeRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A tiny load point per runtime whose backend calls go over TCP to a DelayBackend in this JVM. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TcpBackendRunTest {
    /** 2 backend calls of 1 ms per request, 300 requests per second, 0.3 s. */
    private static final LoadSpec TINY = new LoadSpec("io-heavy", "test: tiny", 0.0, 10, 10, false, false, 2, 1);

    @Test
    void everyRuntimeRunsAPointOverTcpAndClosesWhatItOpened() throws Exception {
        try (DelayBackend backend = new DelayBackend(0, 1, 1024, 1024)) {
            BackendConfig tcp = BackendConfig.tcp("127.0.0.1", backend.port(), 2);
            for (String runtime : EventLoops.names()) {
                long before = backend.requests();
                PointResult r = LoadRun.run(LoadRun.Config.of(runtime, TINY, 300, 0.5, 600, 0.3)
                        .withLimits(10_000, 50_000, 1_000_000, 5)
                        .withBackend(tcp));
                assertEquals("tcp", r.backend);
                assertEquals(0, r.errors, runtime + ": no request failed");
                assertEquals(0, r.unfinished, runtime + ": every request finished");
                assertEquals(0.0, r.figure("backend.failedCalls"), runtime);
                assertEquals(0.0, r.figure("backend.connectionFailures"), runtime);
                assertEquals(2 * r.requests, backend.requests() - before, runtime + ": two backend calls per request");
                assertTrue(
                        r.figure("latency.p50") >= 2_000,
                        runtime + ": two 1 ms calls take 2 ms: " + r.figure("latency.p50"));
                waitFor(() -> backend.openConnections() == 0, runtime + ": every loop closed its connections");
                waitFor(
                        () -> Thread.getAllStackTraces().keySet().stream()
                                .noneMatch(t -> t.getName().startsWith("loopbench-load-")),
                        runtime + ": the point's threads ended");
            }
        }
    }

    @Test
    void aLoadWithoutBackendCallsRecordsNone() {
        LoadRun.Config c = LoadRun.Config.of(SomeRuntime.any(), Loads.CPU_BLOCKING, 1, 0.5, 2, 0.1)
                .withBackend(BackendConfig.tcp("127.0.0.1", 1, 4));
        assertEquals(BackendConfig.NONE, c.effectiveBackend());
    }

    @Test
    void anUnreachableBackendFailsTheStartSayingWhere() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> LoadRun.run(LoadRun.Config.of(SomeRuntime.any(), TINY, 100, 0.5, 200, 0.1)
                        .withBackend(BackendConfig.tcp("127.0.0.1", port, 1))));
        assertTrue(
                e.getMessage().contains("could not open their backend connections")
                        && e.getMessage().contains("127.0.0.1:" + port),
                e.getMessage());
    }

    @Test
    void badBackendOptionsSayWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendConfig.parse("tpc", 4));
        assertTrue(e.getMessage().contains("simulated, tcp") && e.getMessage().contains("HOST:PORT"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BackendConfig.parse("localhost:99999", 4));
        assertTrue(e.getMessage().contains("1..65535"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BackendConfig.parse("tcp", 0));
        assertTrue(e.getMessage().contains("connections per loop must be 1.."), e.getMessage());
        assertEquals(BackendConfig.tcp("10.0.0.5", 7000, 4), BackendConfig.parse("10.0.0.5:7000", 4));
        assertEquals(BackendConfig.SIMULATED, BackendConfig.parse("simulated", 4));
        assertThrows(
                IllegalArgumentException.class,
                () -> new LoopSet(
                        SomeRuntime.loopPerRequest(),
                        Layout.PER_REQUEST,
                        1,
                        0,
                        10,
                        1_000_000,
                        new LatencyRecorder(NanoClock.SYSTEM),
                        BackendConfig.tcp("127.0.0.1", 7000, 1)));
    }

    /** Waits for a condition other threads make true (polls, 10 s at most). */
    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out waiting: " + what);
            Thread.sleep(5);
        }
    }
}
