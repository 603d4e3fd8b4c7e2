package loopbench.bench.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import loopbench.core.EventLoop;
import loopbench.core.EventLoops;
import loopbench.core.io.NetException;
import loopbench.core.testing.AllRuntimes;
import org.junit.jupiter.api.Timeout;

/**
 * The tcp backend calls, on every runtime, against a DelayBackend in this JVM: pipelined answers reach
 * their own calls, failures reject with errors that say what failed and are counted, and nothing stays open.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DelayBackendClientTest {

    /**
     * Calls made longest delay first, on two pipelined connections: the backend answers them shortest
     * first, so answers arrive in the reverse of the order sent. Matching by order would settle the
     * 250 ms call with the 0 ms call's answer; matching by id settles each call with its own, never
     * before its own delay (the backend never answers early).
     */
    @AllRuntimes
    void pipelinedAnswersSettleTheirOwnCalls(String runtime) throws Exception {
        int[] delays = {250, 200, 150, 100, 50, 0};
        List<Integer> settledOrder = Collections.synchronizedList(new ArrayList<>());
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        DelayBackendClient[] client = new DelayBackendClient[1];
        EventLoop loop;
        try (DelayBackend backend = new DelayBackend(0, 1, 1024, 64)) {
            try (EventLoop l = EventLoops.create(runtime)) {
                loop = l;
                loop.run(() -> {
                    DelayBackendClient c = new DelayBackendClient(loop, "127.0.0.1", backend.port(), 2);
                    client[0] = c;
                    c.start()
                            .then(ignored -> {
                                for (int delay : delays) {
                                    long sent = System.nanoTime();
                                    c.call(delay).whenSettled((value, rejected) -> {
                                        long tookMs = (System.nanoTime() - sent) / 1_000_000;
                                        if (rejected) problems.add(delay + " ms call rejected: " + value);
                                        if (tookMs < delay)
                                            problems.add(delay + " ms call settled after " + tookMs
                                                    + " ms: another call's answer");
                                        settledOrder.add(delay);
                                        if (settledOrder.size() == delays.length) c.closeWhenIdle();
                                    });
                                }
                                assertEquals(delays.length, c.inFlight());
                                return null;
                            })
                            .catchError(e -> problems.add("start failed: " + e));
                });
                // run() returned: nothing keeps the loop alive, so the connections are closed
                assertEquals(0, loop.net().openHandles(), "open sockets after the client closed");
            }
            assertEquals(List.of(), problems);
            // each call settled once, with its own answer (never before its own delay, checked above); the
            // order across two connections follows when each request reached the backend, which a busy
            // machine can shift by more than the 50 ms between delays
            assertEquals(
                    List.of(0, 50, 100, 150, 200, 250),
                    settledOrder.stream().sorted().toList());
            assertEquals(delays.length, backend.requests());
            assertEquals(0, client[0].failedCalls());
            assertEquals(0, client[0].connectionFailures());
            assertEquals(2, client[0].connects());
            assertEquals(6, client[0].calls());
            waitFor(() -> backend.openConnections() == 0, "the backend sees the client's connections closed");
        }
    }

    @AllRuntimes
    void aRefusedConnectionRejectsWithAClearError(String runtime) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free once closed: nothing listens there
        }
        List<Object> reasons = Collections.synchronizedList(new ArrayList<>());
        DelayBackendClient[] client = new DelayBackendClient[1];
        try (EventLoop loop = EventLoops.create(runtime)) {
            loop.run(() -> {
                DelayBackendClient c = new DelayBackendClient(loop, "127.0.0.1", port, 3);
                client[0] = c;
                c.start().catchError(startFailure -> {
                    reasons.add(startFailure);
                    return c.call(5).catchError(callFailure -> {
                        reasons.add(callFailure);
                        c.closeWhenIdle();
                        return null;
                    });
                });
            });
            assertEquals(0, loop.net().openHandles());
        }
        assertEquals(2, reasons.size(), "start and call both rejected: " + reasons);
        NetException start = assertInstanceOf(NetException.class, reasons.get(0));
        assertEquals(NetException.ECONNREFUSED, start.code());
        assertTrue(start.getMessage().contains("delay backend at 127.0.0.1:" + port), start.getMessage());
        NetException call = assertInstanceOf(NetException.class, reasons.get(1));
        assertEquals(NetException.ECONNREFUSED, call.code());
        assertTrue(
                call.getMessage()
                        .startsWith(
                                "backend call failed: no open connection to the delay backend at 127.0.0.1:" + port),
                call.getMessage());
        assertEquals(1, client[0].failedCalls(), "the refused call is counted");
        assertTrue(client[0].connectionFailures() >= 3, "every connection that could not open is counted");
    }

    /** The backend goes away with calls in flight: each of them rejects, saying which connection failed, and is counted. */
    @AllRuntimes
    void callsInFlightRejectWhenTheBackendGoesAway(String runtime) throws Exception {
        List<Object> reasons = Collections.synchronizedList(new ArrayList<>());
        DelayBackendClient[] client = new DelayBackendClient[1];
        DelayBackend backend = new DelayBackend(0, 1, 1024, 64);
        try (EventLoop loop = EventLoops.create(runtime)) {
            Thread runner = Thread.ofPlatform()
                    .start(() -> loop.run(() -> {
                        DelayBackendClient c = new DelayBackendClient(loop, "127.0.0.1", backend.port(), 1);
                        client[0] = c;
                        c.start()
                                .then(ignored -> {
                                    for (int i = 0; i < 3; i++)
                                        c.call(60_000)
                                                .whenSettled((value, rejected) ->
                                                        reasons.add(rejected ? value : "fulfilled"));
                                    return null;
                                })
                                .catchError(e -> reasons.add("start failed: " + e));
                    }));
            waitFor(() -> backend.requests() == 3, "the backend received the 3 calls");
            backend.close(); // closes the connection the calls wait on
            runner.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(!runner.isAlive(), "the loop ended once the calls had settled");
            assertEquals(0, loop.net().openHandles());
        } finally {
            backend.close();
        }
        assertEquals(3, reasons.size(), reasons.toString());
        for (Object r : reasons) {
            NetException e = assertInstanceOf(NetException.class, r, String.valueOf(r));
            assertTrue(
                    e.getMessage()
                            .startsWith("backend call failed: connection 1 of 1 to the delay backend at 127.0.0.1:"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("while the call was in flight"), e.getMessage());
        }
        assertEquals(3, client[0].failedCalls());
        assertEquals(1, client[0].connectionFailures());
    }

    /** Waits for a condition another thread makes true (no fixed sleep: polls, 10 s at most). */
    static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out waiting: " + what);
            Thread.sleep(5);
        }
    }
}
