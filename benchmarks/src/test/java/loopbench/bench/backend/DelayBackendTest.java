package loopbench.bench.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import loopbench.core.EventLoop;
import loopbench.core.EventLoops;
import loopbench.core.testing.AllRuntimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The delay backend: answers after the delay asked, in due order, with the size asked; every runtime can use it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DelayBackendTest {

    private static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    @Test
    void answersAfterTheDelayWithTheSizeAskedEchoingTheBody() throws Exception {
        try (DelayBackend backend = new DelayBackend(0);
                Socket s = new Socket(InetAddress.getLoopbackAddress(), backend.port())) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());

            long t0 = System.nanoTime();
            out.write(DelayBackend.request(30_000, 100, "id-1".getBytes()));
            byte[] answer = readFrame(in);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(100, answer.length);
            assertArrayEquals("id-1".getBytes(), Arrays.copyOf(answer, 4));
            assertTrue(Arrays.stream(toInts(Arrays.copyOfRange(answer, 4, 100))).allMatch(x -> x == 0));
            assertTrue(
                    ms >= 30, "answered after " + ms + " ms, asked 30"); // never early; how late depends on the machine

            // pipelined: answers leave in due order, not in request order; zero delay and zero size work.
            // One write, so the three arrive together and their due order cannot depend on scheduling.
            out.write(concat(
                    DelayBackend.request(80_000, 3, "slow".getBytes()),
                    DelayBackend.request(10_000, 3, "mid".getBytes()),
                    DelayBackend.request(0, 0, new byte[0])));
            assertEquals(0, readFrame(in).length);
            assertEquals("mid", new String(readFrame(in)));
            assertEquals("slo", new String(readFrame(in)));

            // a big answer, larger than the shared zero buffer
            out.write(DelayBackend.request(0, 3 << 20, "big".getBytes()));
            byte[] big = readFrame(in);
            assertEquals(3 << 20, big.length);
            assertEquals("big", new String(big, 0, 3));
            assertEquals(5, backend.requests());
        }
    }

    private static int[] toInts(byte[] b) {
        int[] r = new int[b.length];
        for (int i = 0; i < b.length; i++) r[i] = b[i];
        return r;
    }

    @Test
    void aMalformedRequestClosesOnlyItsConnection() throws Exception {
        try (DelayBackend backend = new DelayBackend(0);
                Socket bad = new Socket(InetAddress.getLoopbackAddress(), backend.port());
                Socket good = new Socket(InetAddress.getLoopbackAddress(), backend.port())) {
            bad.getOutputStream().write(new byte[] {0, 0, 0, 3, 1, 2, 3}); // 3 bytes: no room for delay and size
            bad.setSoTimeout(5_000);
            try {
                int b = bad.getInputStream().read();
                assertEquals(-1, b, "the bad connection is closed");
            } catch (java.net.SocketException reset) {
                // closed with a reset: also closed
            }
            good.getOutputStream().write(DelayBackend.request(0, 5, "ok".getBytes()));
            assertEquals("ok", new String(readFrame(new DataInputStream(good.getInputStream())), 0, 2));
            assertEquals(1, backend.protocolErrors());
        }
    }

    @AllRuntimes
    void everyRuntimeTalksToIt(String rt) throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (DelayBackend backend = new DelayBackend(0);
                EventLoop loop = EventLoops.create(rt)) {
            loop.run(() -> loop.net()
                    .connect("127.0.0.1", backend.port())
                    .then(c -> {
                        c.writeFrame(DelayBackend.requestPayload(20_000, 8, "a".getBytes()));
                        c.writeFrame(DelayBackend.requestPayload(1_000, 8, "b".getBytes()));
                        return c.readFrame(10_000)
                                .thenCompose(f -> {
                                    log.add(new String(f, 0, 1) + f.length);
                                    return c.readFrame(10_000);
                                })
                                .then(f -> {
                                    log.add(new String(f, 0, 1) + f.length);
                                    c.close();
                                    return null;
                                });
                    })
                    .catchError(e -> {
                        log.add("failed " + e);
                        return null;
                    }));
        }
        // both answers, whatever the order: the two writes may leave the runtime far apart on a busy
        // machine (threadpool writes on pool threads); due order is checked by
        // answersAfterTheDelayWithTheSizeAskedEchoingTheBody
        assertEquals(List.of("a8", "b8"), log.stream().sorted().toList());
    }

    @Test
    void closeEndsItsThreads() throws Exception {
        DelayBackend backend = new DelayBackend(0);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), backend.port())) {
            s.getOutputStream().write(DelayBackend.request(0, 1, new byte[0]));
            readFrame(new DataInputStream(s.getInputStream()));
        }
        backend.close();
        for (int i = 0;
                i < 100
                        && Thread.getAllStackTraces().keySet().stream()
                                .anyMatch(t -> t.getName().startsWith("delay-backend"));
                i++) {
            Thread.sleep(20);
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("delay-backend")));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), backend.port())) {
            throw new AssertionError("still accepting after close()");
        } catch (java.net.ConnectException expected) {
            // refused: closed
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) all.writeBytes(p);
        return all.toByteArray();
    }
}
