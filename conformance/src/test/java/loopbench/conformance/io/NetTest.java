package loopbench.conformance.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import loopbench.core.EventLoop;
import loopbench.core.EventLoops;
import loopbench.core.LoopClosedException;
import loopbench.core.LoopOptions;
import loopbench.core.Promise;
import loopbench.core.io.Connection;
import loopbench.core.io.Frames;
import loopbench.core.io.NetException;
import loopbench.core.io.TcpOptions;
import loopbench.core.io.TcpServer;
import loopbench.core.testing.AllRuntimes;
import loopbench.core.testing.AwaitingRuntimes;
import loopbench.core.testing.SomeRuntime;
import loopbench.threadpool.PoolSize;
import loopbench.threadpool.ThreadPoolEventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * loop.net() on every runtime: echo round trips, 1,000 concurrent connections, the order of I/O
 * callbacks against timers and immediates, every error's rejection and message (the loop goes on
 * after each), liveness, and no socket, fd or thread left after close(). Loopback only; every
 * wait is bounded (a watchdog closes a loop that overruns, and the test then fails).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NetTest {
    private static final long WATCHDOG_MS = 30_000;

    /** A loop run with log-and-continue hooks and a watchdog; returns the log. */
    static final class Run {
        final EventLoop loop;
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final List<Object> uncaught = Collections.synchronizedList(new ArrayList<>());

        Run(String rt) {
            this(EventLoops.create(rt, LoopOptions.DEFAULTS.withCloseTimeoutMillis(3_000)));
        }

        Run(EventLoop loop) {
            this.loop = loop;
            loop.onUncaughtException(e -> uncaught.add(e));
            loop.onUnhandledRejection((r, p) -> uncaught.add("unhandled rejection: " + r));
        }

        void log(String s) {
            log.add(s);
        }

        /** Runs {@code main}; fails if the loop overran the watchdog or reported an uncaught error. */
        List<String> run(Runnable main) {
            AtomicBoolean overran = new AtomicBoolean();
            Thread watchdog = new Thread(
                    () -> {
                        try {
                            Thread.sleep(WATCHDOG_MS);
                            overran.set(true);
                            loop.close();
                        } catch (InterruptedException ignored) {
                            // finished in time
                        }
                    },
                    "net-test-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                loop.run(main);
            } finally {
                watchdog.interrupt();
            }
            assertFalse(
                    overran.get(),
                    loop.runtime() + ": the loop was still running after " + WATCHDOG_MS + " ms; log " + log);
            assertEquals(List.of(), uncaught, loop.runtime() + ": uncaught errors; log " + log);
            return log;
        }

        /** Handles a rejection by logging it as "label: CODE message". */
        <T> Promise<Object> expectReject(Promise<T> p, String label) {
            return p.then(
                    v -> {
                        log(label + ": resolved unexpectedly");
                        return null;
                    },
                    e -> {
                        log(label + ": "
                                + (e instanceof NetException n ? n.code() + " " + n.getMessage() : String.valueOf(e)));
                        return null;
                    });
        }
    }

    /** Echoes every frame it reads until the peer goes; errors just close the connection. */
    static void echo(Connection c) {
        c.readFrame()
                .then(
                        f -> {
                            c.writeFrame(f).catchError(e -> null);
                            echo(c);
                            return null;
                        },
                        e -> {
                            c.close();
                            return null;
                        });
    }

    private static byte[] payload(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    // =================================================================== echo

    @AllRuntimes
    void echoRoundTripsOnOneLoop(String rt) {
        Run r = new Run(rt);
        try (EventLoop loop = r.loop) {
            int[] sizes = {0, 1, 5, 4096, 70_000, 1 << 20};
            List<String> log = r.run(() -> {
                TcpServer server = loop.net().listen(0);
                server.onConnection(NetTest::echo);
                server.events().on("close", x -> r.log("server close"));
                loop.net()
                        .connect("127.0.0.1", server.port())
                        .then(c -> {
                            c.events().on("close", hadError -> r.log("client close " + hadError));
                            Promise<Object> chain = loop.resolved(null);
                            for (int i = 0; i < sizes.length; i++) {
                                int n = sizes[i], seed = i;
                                chain = chain.thenCompose(x -> c.writeFrame(payload(n, seed)))
                                        .thenCompose(x -> c.readFrame(10_000))
                                        .then(f -> {
                                            r.log((Arrays.equals(f, payload(n, seed)) ? "echo ok " : "echo WRONG ")
                                                    + n);
                                            return null;
                                        });
                            }
                            // raw bytes: one frame split over two writes, and two frames in one write
                            byte[] split = Frames.encode(payload(10, 7));
                            chain = chain.thenCompose(x -> c.write(Arrays.copyOfRange(split, 0, 3)))
                                    .thenCompose(x -> c.write(Arrays.copyOfRange(split, 3, split.length)))
                                    .thenCompose(x -> c.readFrame(10_000))
                                    .thenCompose(f -> {
                                        r.log("split " + Arrays.equals(f, payload(10, 7)));
                                        byte[] two = new byte[16];
                                        ByteBuffer.wrap(two)
                                                .putInt(4)
                                                .putInt(11)
                                                .putInt(4)
                                                .putInt(22);
                                        return c.write(two);
                                    })
                                    .thenCompose(x -> loop.all(List.of(c.readFrame(10_000), c.readFrame(10_000))))
                                    .then(fs -> {
                                        r.log("two "
                                                + ByteBuffer.wrap((byte[]) fs.get(0))
                                                        .getInt() + " "
                                                + ByteBuffer.wrap((byte[]) fs.get(1))
                                                        .getInt());
                                        r.log("counts " + c.bytesWritten() + " " + c.bytesRead());
                                        c.close();
                                        server.close();
                                        return null;
                                    });
                            return chain;
                        })
                        .catchError(e -> {
                            r.log("failed " + e);
                            return null;
                        });
            });
            List<String> want = new ArrayList<>();
            long bytes = 0;
            for (int n : sizes) {
                want.add("echo ok " + n);
                bytes += 4 + n;
            }
            bytes += 14 + 16;
            want.addAll(List.of(
                    "split true", "two 11 22", "counts " + bytes + " " + bytes, "client close false", "server close"));
            assertEquals(want, log);
            assertEquals(0, loop.net().openHandles());
        }
    }

    @AwaitingRuntimes
    void awaitReadsLikeSequentialCode(String rt) {
        Run r = new Run(rt);
        try (EventLoop loop = r.loop) {
            List<String> log = r.run(() -> {
                TcpServer server = loop.net().listen(0);
                server.onConnection(NetTest::echo);
                loop.async(() -> {
                    Connection c = loop.await(loop.net().connect("localhost", server.port()));
                    for (int i = 0; i < 3; i++) {
                        loop.await(c.writeFrame(("hello " + i).getBytes()));
                        r.log(new String((byte[]) loop.await(c.readFrame(10_000))));
                    }
                    try {
                        loop.await(c.readFrame(50));
                    } catch (NetException e) {
                        r.log(e.code());
                    }
                    c.close();
                    server.close();
                    return null;
                });
            });
            assertEquals(List.of("hello 0", "hello 1", "hello 2", "ERR_READ_TIMEOUT"), log);
        }
    }

    // =================================================================== scale

    /** An echo server on a loop of the first runtime, on its own thread: the load's far side. */
    static final class EchoServer implements AutoCloseable {
        final EventLoop loop = EventLoops.create(SomeRuntime.any(), LoopOptions.DEFAULTS.withCloseTimeoutMillis(3_000));
        final Thread thread;
        final int port;

        EchoServer() throws InterruptedException {
            CountDownLatch up = new CountDownLatch(1);
            int[] p = new int[1];
            thread = new Thread(
                    () -> loop.run(() -> {
                        TcpServer s = loop.net().listen(0, TcpOptions.DEFAULTS.withBacklog(2048));
                        s.onConnection(NetTest::echo);
                        p[0] = s.port();
                        up.countDown();
                    }),
                    "net-test-echo-server");
            thread.setDaemon(true);
            thread.start();
            assertTrue(up.await(10, TimeUnit.SECONDS), "echo server started");
            port = p[0];
        }

        @Override
        public void close() throws InterruptedException {
            loop.close();
            thread.join(10_000);
        }
    }

    @AllRuntimes
    void thousandConnectionsTenRoundTripsEach(String rt) throws Exception {
        int conns = 1000, trips = 10;
        try (EchoServer server = new EchoServer()) {
            Run r = new Run(rt);
            try (EventLoop loop = r.loop) {
                AtomicInteger done = new AtomicInteger(), failed = new AtomicInteger();
                AtomicReference<Object> firstFailure = new AtomicReference<>();
                long start = System.nanoTime();
                r.run(() -> {
                    for (int i = 0; i < conns; i++) {
                        int id = i;
                        loop.net()
                                .connect("127.0.0.1", server.port)
                                .then(
                                        c -> {
                                            roundTrips(c, id, trips, done, failed, firstFailure);
                                            return null;
                                        },
                                        e -> {
                                            failed.incrementAndGet();
                                            firstFailure.compareAndSet(null, e);
                                            return null;
                                        });
                    }
                });
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.println(
                        "net " + rt + ": " + conns + " connections x " + trips + " round trips in " + ms + " ms");
                assertEquals(0, failed.get(), "failures, first: " + firstFailure.get());
                assertEquals(conns * trips, done.get());
                assertEquals(0, loop.net().openHandles());
            }
        }
    }

    private static void roundTrips(
            Connection c,
            int id,
            int left,
            AtomicInteger done,
            AtomicInteger failed,
            AtomicReference<Object> firstFailure) {
        byte[] msg = ("conn " + id + " trip " + left).getBytes();
        c.writeFrame(msg).catchError(e -> null);
        c.readFrame(30_000)
                .then(f -> {
                    if (!Arrays.equals(f, msg))
                        throw new IllegalStateException("conn " + id + ": wrong echo " + new String(f));
                    done.incrementAndGet();
                    if (left > 1) roundTrips(c, id, left - 1, done, failed, firstFailure);
                    else c.close();
                    return null;
                })
                .catchError(e -> {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, e);
                    c.close();
                    return null;
                });
    }

    // =================================================================== ordering

    /**
     * Inside an I/O callback (connect, accept, write, read completion) an immediate runs before a
     * setTimeout(0): the poll phase is followed by check, then timers (Node's rule for fs callbacks
     * holds for sockets too).
     */
    @AllRuntimes
    void ioCallbacksRunInThePollPhase(String rt) {
        Run r = new Run(rt);
        try (EventLoop loop = r.loop) {
            List<String> log = r.run(() -> {
                TcpServer server = loop.net().listen(0);
                Consumer<String> race = what -> {
                    loop.setTimeout(() -> r.log(what + " timeout"), 0);
                    loop.setImmediate(() -> r.log(what + " immediate"));
                    loop.nextTick(() -> r.log(what + " tick"));
                };
                server.onConnection(sc -> {
                    race.accept("accept");
                    sc.readFrame()
                            .thenCompose(f -> {
                                race.accept("server read");
                                return sc.writeFrame(f);
                            })
                            .then(v -> {
                                race.accept("server write");
                                echo(sc); // reads on: sees the client go, and closes
                                return null;
                            });
                });
                loop.net().connect("127.0.0.1", server.port()).then(c -> {
                    race.accept("connect");
                    loop.setTimeout(
                            () -> c.writeFrame(new byte[] {1})
                                    .thenCompose(v -> {
                                        race.accept("write");
                                        return c.readFrame(10_000);
                                    })
                                    .then(f -> {
                                        race.accept("read");
                                        loop.setTimeout(
                                                () -> {
                                                    c.close();
                                                    server.close();
                                                },
                                                20);
                                        return null;
                                    }),
                            20);
                    return null;
                });
            });
            for (String what : List.of("accept", "connect", "server read", "write", "server write", "read")) {
                int tick = log.indexOf(what + " tick"),
                        imm = log.indexOf(what + " immediate"),
                        tmo = log.indexOf(what + " timeout");
                assertTrue(
                        tick >= 0 && imm > tick && tmo > imm,
                        what + ": want tick, immediate, timeout in that order; log " + log);
            }
            // the read completion can only follow the server's write, and the write it answered
            assertTrue(log.indexOf("read immediate") > log.indexOf("server read tick"), log.toString());
        }
    }

    // =================================================================== errors

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @AllRuntimes
    void connectionRefusedNamesHostAndPort(String rt) throws Exception {
        int port = freePort();
        Run r = new Run(rt);
        try (EventLoop loop = r.loop) {
            List<String> log = r.run(() -> {
                r.expectReject(loop.net().connect("127.0.0.1", port), "refused").then(v -> {
                    loop.setTimeout(() -> r.log("loop goes on"), 1);
                    return null;
                });
            });
            assertEquals(2, log.size(), log.toString());
            assertTrue(
                    log.get(0).startsWith("refused: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:" + port), log.get(0));
            assertEquals("loop goes on", log.get(1));
        }
    }

    /** A server on the same loop that answers each connection with {@code raw} bytes, then closes it. */
    private static TcpServer rawServer(EventLoop loop, byte[] raw, boolean closeAfter) {
        TcpServer server = loop.net().listen(0);
        server.onConnection(sc -> sc.write(raw)
                .then(v -> {
                    if (closeAfter) sc.close();
                    return null;
                })
                .catchError(e -> null));
        return server;
    }

    @AllRuntimes
    void peerClosingMidFrameSaysHowFarTheFrameGot(String rt) {
        Run r = new Run(rt);
        try (EventLoop loop = r.loop) {
            byte[] partial = new byte[4 + 3];
            ByteBuffer.wrap(partial).putInt(10);
            List<String> log = r.run(() -> {
                TcpServer payloadCut = rawServer(loop, partial, true);
                TcpServer headerCut = rawServer(loop, new byte[] {0, 0}, true);
                TcpServer clean = rawServer(loop, Frames.encode("last".getBytes()), true);
                loop.net()
                        .connect("127.0.0.1", payloadCut.port())
                        .thenCompose(c -> r.expectReject(c.readFrame(10_000), "payload cut"))
                        .thenCompose(v -> loop.net().connect("127.0.0.1", headerCut.port()))
                        .thenCompose(c -> r.expectReject(c.readFrame(10_000), "header cut"))
                        .thenCompose(v -> loop.net().connect("127.0.0.1", clean.port()))
                        .thenCompose(c -> {
                            c.events().on("end", x -> r.log("end event"));
                            return c.readFrame(10_000)
                                    .thenCompose(f -> {
                                        r.log("got " + new String(f));
                                        return r.expectReject(c.readFrame(10_000), "after the last frame");
                                    })
                                    .thenCompose(
                                            v -> r.expectReject(c.writeFrame(new byte[1]), "write after peer closed"));
                        })
                        .then(v -> {
                            payloadCut.close();
                            headerCut.close();
                            clean.close();
                            loop.setTimeout(() -> r.log("loop goes on"), 1);
                            return null;
                        });
            });
            assertEquals(7, log.size(), log.toString());
            assertTrue(
                    log.get(0)
                            .matches(
                                    "payload cut: ERR_PEER_CLOSED_MID_FRAME peer 127\\.0\\.0\\.1:\\d+ closed the connection "
                                            + "mid-frame: got 3 of 10 payload bytes"),
                    log.get(0));
            assertTrue(
                    log.get(1).matches("header cut: ERR_PEER_CLOSED_MID_FRAME .*got 2 of 4 length-prefix bytes"),
                    log.get(1));
            assertEquals("got last", log.get(2));
            assertEquals("end event", log.get(3));
            assertTrue(
                    log.get(4)
                            .matches(
                                    "after the last frame: ERR_END_OF_STREAM peer 127\\.0\\.0\\.1:\\d+ closed the connection: "
                                            + "no more frames \\(end of stream\\)"),
                    log.get(4));
            assertTrue(
                    log.get(5)
                            .startsWith("write after peer closed: ERR_SOCKET_CLOSED writeFrame on a closed connection"),
                    log.get(5));
            assertEquals("loop goes on", log.get(6));
        }
    }

    @AllRuntimes
    void oversizedAndMalformedFramesSayTheLengthAndTheLimit(String rt) {
        Run r = new Run(rt);
        try (EventLoop loop = r.loop) {
            byte[] big = new byte[4];
            ByteBuffer.wrap(big).putInt(4096);
            byte[] negative = new byte[4];
            ByteBuffer.wrap(negative).putInt(-5);
            List<String> log = r.run(() -> {
                TcpServer bigServer = rawServer(loop, big, false);
                TcpServer negServer = rawServer(loop, negative, false);
                TcpOptions small = TcpOptions.DEFAULTS.withMaxFrameBytes(1024);
                loop.net()
                        .connect("127.0.0.1", bigServer.port(), small)
                        .thenCompose(c -> {
                            c.events().on("error", e -> r.log("error event " + ((NetException) e).code()));
                            c.events().on("close", hadError -> r.log("close event " + hadError));
                            return r.expectReject(c.readFrame(10_000), "oversized")
                                    .thenCompose(v -> r.expectReject(c.readFrame(), "read after"));
                        })
                        .thenCompose(v -> loop.net().connect("127.0.0.1", negServer.port()))
                        .thenCompose(c -> r.expectReject(c.readFrame(10_000), "negative"))
                        .thenCompose(v -> loop.net().connect("127.0.0.1", negServer.port(), small))
                        .thenCompose(c -> r.expectReject(c.writeFrame(new byte[2000]), "write oversized")
                                .then(v -> {
                                    r.log("still open " + c.isOpen());
                                    c.close();
                                    return null;
                                }))
                        .then(v -> {
                            bigServer.close();
                            negServer.close();
                            loop.setTimeout(() -> r.log("loop goes on"), 1);
                            return null;
                        });
                // the servers' ends of the connections: closed when the clients go
                for (TcpServer s : List.of(bigServer, negServer)) {
                    s.onConnection(sc -> sc.readFrame().catchError(e -> {
                        sc.close();
                        return null;
                    }));
                }
            });
            // 'error' and 'close' are emitted in a nextTick, which runs before the rejection's promise job
            assertTrue(
                    log.get(0).equals("error event ERR_FRAME_TOO_LARGE")
                            && log.get(1).equals("close event true"),
                    log.toString());
            assertTrue(
                    log.get(2)
                            .matches(
                                    "oversized: ERR_FRAME_TOO_LARGE frame from 127\\.0\\.0\\.1:\\d+ too large: length 4096 "
                                            + "bytes exceeds the limit of 1024 bytes \\(maxFrameBytes\\)"),
                    log.toString());
            assertTrue(
                    log.get(3).startsWith("read after: ERR_SOCKET_CLOSED readFrame on a closed connection")
                            && log.get(3).contains("length 4096 bytes exceeds the limit of 1024"),
                    log.toString());
            assertTrue(
                    log.get(4)
                            .matches("negative: ERR_FRAME_MALFORMED malformed frame from .*: negative length prefix -5 "
                                    + "\\(0xfffffffb\\).*"),
                    log.toString());
            assertTrue(
                    log.get(5)
                            .matches(
                                    "write oversized: ERR_FRAME_TOO_LARGE writeFrame to .*: payload of 2000 bytes exceeds "
                                            + "the limit of 1024 bytes \\(maxFrameBytes\\); nothing was sent"),
                    log.toString());
            assertEquals(List.of("still open true", "loop goes on"), log.subList(6, log.size()));
        }
    }

    @AllRuntimes
    void readTimeoutSaysTheTimeoutAndTheConnectionGoesOn(String rt) {
        Run r = new Run(rt);
        try (EventLoop loop = r.loop) {
            List<String> log = r.run(() -> {
                TcpServer server = loop.net().listen(0);
                server.onConnection(sc -> {
                    // half a frame now, the rest after the client's first read timed out
                    byte[] whole = Frames.encode("late".getBytes());
                    sc.write(Arrays.copyOfRange(whole, 0, 6));
                    loop.setTimeout(
                            () -> sc.write(Arrays.copyOfRange(whole, 6, whole.length))
                                    .then(v -> {
                                        sc.close();
                                        return null;
                                    }),
                            300);
                });
                loop.net().connect("127.0.0.1", server.port()).then(c -> {
                    long t0 = System.nanoTime();
                    return r.expectReject(c.readFrame(100), "timeout")
                            .thenCompose(v -> {
                                long ms = (System.nanoTime() - t0) / 1_000_000;
                                r.log("waited at least 100 ms: " + (ms >= 99)); // loop time is whole ms, as libuv's
                                return c.readFrame(10_000);
                            })
                            .then(f -> {
                                r.log("then got " + new String(f));
                                c.close();
                                server.close();
                                return null;
                            });
                });
            });
            assertEquals(3, log.size(), log.toString());
            assertTrue(
                    log.get(0)
                            .matches(
                                    "timeout: ERR_READ_TIMEOUT readFrame timed out after 100 ms waiting for a frame from "
                                            + "127\\.0\\.0\\.1:\\d+ \\(received 2 of 4 payload bytes.*\\); the connection stays open"),
                    log.get(0));
            assertEquals(List.of("waited at least 100 ms: true", "then got late"), log.subList(1, 3));
        }
    }

    @AllRuntimes
    void closedConnectionsRejectReadsAndWrites(String rt) {
        Run r = new Run(rt);
        try (EventLoop loop = r.loop) {
            List<String> log = r.run(() -> {
                TcpServer server = loop.net().listen(0);
                server.onConnection(NetTest::echo);
                loop.net()
                        .connect("127.0.0.1", server.port())
                        .then(c -> {
                            Promise<Object> pending = r.expectReject(c.readFrame(), "pending read");
                            c.close();
                            c.close(); // idempotent
                            return pending.thenCompose(v -> r.expectReject(c.write(new byte[] {1}), "write"))
                                    .thenCompose(v -> r.expectReject(c.readFrame(), "read"));
                        })
                        .then(v -> {
                            server.close();
                            loop.setTimeout(() -> r.log("loop goes on"), 1);
                            return null;
                        });
            });
            List<String> client = log;
            assertEquals(4, client.size(), log.toString());
            assertTrue(
                    client.get(0)
                            .matches(
                                    "pending read: ERR_SOCKET_CLOSED readFrame on a closed connection: the connection to "
                                            + "127\\.0\\.0\\.1:\\d+ is closed \\(it was closed locally\\)"),
                    client.get(0));
            assertTrue(
                    client.get(1).startsWith("write: ERR_SOCKET_CLOSED write on a closed connection"), client.get(1));
            assertTrue(
                    client.get(2).startsWith("read: ERR_SOCKET_CLOSED readFrame on a closed connection"),
                    client.get(2));
            assertEquals("loop goes on", client.get(3));
        }
    }

    @AllRuntimes
    void badCallsAreRefusedClearly(String rt) {
        Run r = new Run(rt);
        try (EventLoop loop = r.loop) {
            r.run(() -> {
                TcpServer server = loop.net().listen(0);
                NetException inUse =
                        assertThrows(NetException.class, () -> loop.net().listen(server.port()));
                assertEquals(NetException.EADDRINUSE, inUse.code());
                assertTrue(inUse.getMessage().contains("127.0.0.1:" + server.port()), inUse.getMessage());
                assertThrows(IllegalArgumentException.class, () -> loop.net().connect("127.0.0.1", 0));
                assertThrows(NullPointerException.class, () -> loop.net().connect(null, 80));
                server.close();
                r.log("ok");
            });
            assertEquals(List.of("ok"), r.log);
            IllegalStateException foreign =
                    assertThrows(IllegalStateException.class, () -> loop.net().listen(0));
            assertTrue(foreign.getMessage().contains("does not own"), foreign.getMessage());
        }
    }

    // =================================================================== liveness, events

    @AllRuntimes
    void openHandlesKeepTheLoopAliveUntilClosed(String rt) {
        Run r = new Run(rt);
        try (EventLoop loop = r.loop) {
            long t0 = System.nanoTime();
            r.run(() -> {
                TcpServer server = loop.net().listen(0);
                List<Connection> serverSide = new ArrayList<>();
                server.onConnection(serverSide::add);
                loop.net().connect("127.0.0.1", server.port()).then(c -> {
                    // nothing is pending but the sockets: the loop must wait for them
                    Thread closer = new Thread(() -> {
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException ignored) {
                            return;
                        }
                        loop.execute(() -> {
                            r.log("closing");
                            c.close();
                            serverSide.forEach(Connection::close);
                            server.close();
                        });
                    });
                    closer.start();
                    return null;
                });
            });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(List.of("closing"), r.log);
            assertTrue(ms >= 200, "run() returned after " + ms + " ms, before the handles closed");
        }
    }

    @AllRuntimes
    void flowingModeEmitsFramesAndSocketEvents(String rt) {
        Run r = new Run(rt);
        try (EventLoop loop = r.loop) {
            List<String> log = r.run(() -> {
                TcpServer server = loop.net().listen(0);
                server.onConnection(sc -> {
                    byte[] three = new byte[0];
                    for (String s : List.of("a", "bb", "ccc")) {
                        byte[] f = Frames.encode(s.getBytes());
                        byte[] next = Arrays.copyOf(three, three.length + f.length);
                        System.arraycopy(f, 0, next, three.length, f.length);
                        three = next;
                    }
                    sc.write(three).then(v -> {
                        sc.close();
                        return null;
                    });
                });
                server.events().on("close", x -> r.log("server close"));
                loop.net().connect("127.0.0.1", server.port()).then(c -> {
                    AtomicInteger bytes = new AtomicInteger();
                    c.events().on("data", d -> bytes.addAndGet(((byte[]) d).length));
                    c.events().on("frame", f -> r.log("frame " + new String((byte[]) f)));
                    c.events().on("end", x -> r.log("end after " + bytes.get() + " bytes"));
                    c.events().on("close", hadError -> {
                        r.log("close " + hadError);
                        server.close();
                    });
                    c.resume();
                    return null;
                });
            });
            assertEquals(
                    List.of("frame a", "frame bb", "frame ccc", "end after 18 bytes", "close false", "server close"),
                    log);
        }
    }

    /** With a socket open the loop runtime sleeps in select (whole ms, rounded up): a timer is never early, and barely late when the machine lets it. */
    @AllRuntimes
    void timersKeepTheirPrecisionWhileSocketsAreOpen(String rt) {
        Run r = new Run(rt);
        try (EventLoop loop = r.loop) {
            List<Long> lateness = Collections.synchronizedList(new ArrayList<>());
            r.run(() -> {
                TcpServer server = loop.net().listen(0);
                int[] left = {10};
                Runnable[] next = new Runnable[1];
                next[0] = () -> {
                    long t0 = System.nanoTime();
                    loop.setTimeout(
                            () -> {
                                lateness.add(
                                        (System.nanoTime() - t0) / 1_000 - 7_000); // microseconds past the 7 ms asked
                                if (--left[0] > 0) next[0].run();
                                else server.close();
                            },
                            7);
                };
                next[0].run();
            });
            assertEquals(10, lateness.size());
            for (long us : lateness) {
                assertTrue(
                        us >= -1_000,
                        rt + ": a 7 ms timer fired " + (-us) + " us early (loop time is whole ms); all: " + lateness);
            }
            // How late one timer fires depends on the machine (a preempted loop wakes late); a poll that
            // oversleeps (a coarse select timeout) makes every one late, so the best of ten is judged.
            long best = Collections.min(lateness);
            assertTrue(best < 25_000, rt + ": every 7 ms timer fired at least 25 ms late; all: " + lateness);
        }
    }

    /**
     * The threadpool model's limit, visible: a socket read holds a pool thread while it waits, so
     * with every thread waiting, a write queues behind them and a read timeout says so.
     */
    @Test
    void threadpoolSaturationIsVisibleInTheTimeoutMessage() {
        // 3 threads: the loop's driver, the server's blocking accept, and one for everything else
        Run r = new Run(
                new ThreadPoolEventLoop(LoopOptions.DEFAULTS.withCloseTimeoutMillis(3_000), new PoolSize(3, 3, 1000)));
        try (EventLoop loop = r.loop) {
            List<String> log = r.run(() -> {
                TcpServer server = loop.net().listen(0);
                List<Connection> serverSide = new ArrayList<>();
                server.onConnection(sc -> {
                    serverSide.add(sc);
                    sc.readFrame().catchError(e -> null); // takes the last free thread, waiting for the client
                });
                loop.net().connect("127.0.0.1", server.port()).then(c -> {
                    loop.setTimeout(
                            () -> {
                                c.writeFrame("hi".getBytes()).catchError(e -> null); // queued: no thread is free
                                r.expectReject(c.readFrame(300), "timeout").then(v -> {
                                    serverSide.forEach(Connection::close);
                                    c.close();
                                    server.close();
                                    return null;
                                });
                            },
                            100);
                    return null;
                });
            });
            assertEquals(1, log.size(), log.toString());
            assertTrue(
                    log.get(0).startsWith("timeout: ERR_READ_TIMEOUT readFrame timed out after 300 ms")
                            && log.get(0)
                                    .contains(
                                            "its blocking read has not started yet: it is queued, waiting for a free thread"),
                    log.get(0));
        }
    }

    // =================================================================== no leaks

    /**
     * Open socket descriptors of this process. Only sockets: the JDK opens epoll and eventfd
     * descriptors of its own lazily (a virtual-thread poller per new carrier), which made a count of
     * every descriptor flaky on loom.
     */
    private static int openFds() {
        File[] fds = new File("/proc/self/fd").listFiles();
        if (fds == null) return -1;
        int sockets = 0;
        for (File fd : fds) {
            try {
                if (Files.readSymbolicLink(fd.toPath()).toString().startsWith("socket:")) sockets++;
            } catch (IOException e) {
                // closed while we looked: not open
            }
        }
        return sockets;
    }

    /** Each open socket descriptor, with what the kernel says of it (/proc/net/tcp, tcp6, unix), for failure messages. */
    private static List<String> openSockets() {
        Map<String, String> kernel = new HashMap<>();
        for (String table : List.of("tcp", "tcp6", "unix")) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/net", table))) {
                    String[] f = line.trim().split("\\s+");
                    String inode = table.equals("unix") ? (f.length > 6 ? f[6] : "") : (f.length > 9 ? f[9] : "");
                    kernel.put(inode, table + " " + line.trim());
                }
            } catch (IOException e) {
                // not on this system: describe by inode only
            }
        }
        List<String> out = new ArrayList<>();
        File[] fds = new File("/proc/self/fd").listFiles();
        if (fds == null) return out;
        for (File fd : fds) {
            try {
                String target = Files.readSymbolicLink(fd.toPath()).toString();
                if (!target.startsWith("socket:")) continue;
                String inode = target.substring("socket:[".length(), target.length() - 1);
                out.add("fd " + fd.getName() + " " + kernel.getOrDefault(inode, target));
            } catch (IOException e) {
                // closed while we looked
            }
        }
        return out;
    }

    /**
     * {@link #openFds}, looked at again for up to 10 s while it differs from {@code expected}:
     * the JDK finishes closing a socket that another thread was blocked on a moment after close().
     */
    private static int openFdsOnceSettledAt(int expected) throws InterruptedException {
        // Up to 10 s, not 1: with two CPU hogs beside the build, the deferred close of a socket whose reader
        // was blocked took longer than a second (2 of 5 verify runs). A descriptor that leaks still fails here.
        int fds = openFds();
        for (int i = 0; i < 500 && fds != expected; i++) {
            Thread.sleep(20);
            fds = openFds();
        }
        return fds;
    }

    /** Threads of the loops (virtual ones included, from a thread dump) alive now. */
    private static List<String> loopThreads() throws IOException {
        Path dump = Files.createTempFile("net-test-threads", ".json");
        try {
            Files.delete(dump);
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            List<String> names = new ArrayList<>();
            Matcher m = Pattern.compile("\"name\": \"(loopbench-[^\"]*)\"").matcher(Files.readString(dump));
            while (m.find())
                if (!m.group(1).startsWith("loopbench-scenario")
                        && !m.group(1).startsWith("loopbench-blocked-loop-checker")) names.add(m.group(1));
            return names;
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    private static void busyEchoSession(String rt) {
        Run r = new Run(rt);
        try (EventLoop loop = r.loop) {
            r.run(() -> {
                TcpServer server = loop.net().listen(0);
                server.onConnection(NetTest::echo);
                AtomicInteger left = new AtomicInteger(20);
                for (int i = 0; i < 20; i++) {
                    loop.net().connect("127.0.0.1", server.port()).then(c -> {
                        // The echo can arrive before the write's own completion is posted back (loom's writer
                        // is a thread of its own); the close below then settles that write as closed. This
                        // test is about descriptors and threads, not that race.
                        c.writeFrame(new byte[100]).catchError(e -> null);
                        return c.readFrame(10_000).then(f -> {
                            c.close();
                            if (left.decrementAndGet() == 0) server.close();
                            return null;
                        });
                    });
                }
            });
        }
        // and a loop closed while its sockets are still open and reading
        EventLoop loop = EventLoops.create(rt, LoopOptions.DEFAULTS.withCloseTimeoutMillis(3_000));
        CountDownLatch connected = new CountDownLatch(1);
        Thread t = new Thread(() -> loop.run(() -> {
            TcpServer server = loop.net().listen(0);
            server.onConnection(sc -> sc.readFrame().catchError(e -> null));
            loop.net().connect("127.0.0.1", server.port()).then(c -> {
                c.readFrame().catchError(e -> null);
                connected.countDown();
                return null;
            });
        }));
        t.start();
        try {
            assertTrue(connected.await(10, TimeUnit.SECONDS));
            loop.close();
            t.join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertFalse(t.isAlive());
        assertThrows(LoopClosedException.class, () -> loop.execute(() -> {}));
    }

    @AllRuntimes
    void noSocketFdOrThreadSurvivesClose(String rt) throws Exception {
        assumeTrue(new File("/proc/self/fd").isDirectory(), "needs /proc/self/fd");
        busyEchoSession(rt); // warm up: classes loaded, lazily opened files open
        List<String> threadsBefore = loopThreads();
        int fdsBefore = openFds();
        List<String> socketsBefore = openSockets();
        busyEchoSession(rt);
        int fdsAfter = openFdsOnceSettledAt(fdsBefore);
        assertEquals(
                fdsBefore,
                fdsAfter,
                () -> rt + ": open socket descriptors before and after; before " + socketsBefore + ", now "
                        + openSockets());
        List<String> threadsAfter = loopThreads();
        for (int i = 0; i < 50 && !threadsAfter.equals(threadsBefore); i++) {
            Thread.sleep(20);
            threadsAfter = loopThreads();
        }
        assertEquals(threadsBefore, threadsAfter, rt + ": loop threads (platform and virtual) before and after");
    }

    /**
     * Sockets closed in the last poll phase give their descriptors back before run() returns
     * (issue 19, defect 5: a channel registered with a selector keeps its fd until the next select).
     */
    @AllRuntimes
    void socketsClosedInTheLastPollPhaseAreReleasedWhenRunReturns(String rt) throws Exception {
        assumeTrue(new File("/proc/self/fd").isDirectory(), "needs /proc/self/fd");
        busyEchoSession(rt); // warm up: classes loaded, lazily opened files open
        int fdsBefore = openFds();
        Run r = new Run(rt);
        try (EventLoop loop = r.loop) {
            r.run(() -> {
                TcpServer server = loop.net().listen(0);
                AtomicInteger left = new AtomicInteger(50);
                server.onConnection(sc -> sc.readFrame()
                        .catchError(
                                e -> { // the peer closed: close our side
                                    sc.close();
                                    if (left.decrementAndGet() == 0) server.close();
                                    return null;
                                }));
                for (int i = 0; i < 50; i++) {
                    loop.net().connect("127.0.0.1", server.port()).then(c -> {
                        c.close();
                        return null;
                    });
                }
            });
            assertEquals(
                    fdsBefore,
                    openFdsOnceSettledAt(fdsBefore),
                    rt + ": open socket descriptors after run() returned, before close()");
        }
    }

    /**
     * A connect nobody answers rejects with ERR_CONNECT_TIMEOUT after TcpOptions.connectTimeoutMillis
     * (issue 19, defect 6), and the loop ends. The unanswered connect is made on loopback: a listening
     * socket with backlog 1 that never accepts, filled until a connect to it times out; from then on
     * Linux drops every SYN to it (its accept queue is full), as a firewall would.
     */
    @AllRuntimes
    void aConnectNobodyAnswersTimesOut(String rt) throws Exception {
        IllegalArgumentException negative =
                assertThrows(IllegalArgumentException.class, () -> TcpOptions.DEFAULTS.withConnectTimeoutMillis(-1));
        assertEquals("connectTimeoutMillis must be >= 0 (0: no limit), was -1", negative.getMessage());
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> fillers = new ArrayList<>();
            try {
                assumeTrue(fillAcceptQueue(full, fillers), "the kernel did not drop SYNs to a full accept queue");
                Run r = new Run(rt);
                try (EventLoop loop = r.loop) {
                    List<String> log = r.run(() -> r.expectReject(
                            loop.net()
                                    .connect(
                                            "127.0.0.1",
                                            full.getLocalPort(),
                                            TcpOptions.DEFAULTS.withConnectTimeoutMillis(200)),
                            "connect"));
                    assertEquals(1, log.size(), log.toString());
                    assertTrue(
                            log.get(0)
                                    .startsWith("connect: ERR_CONNECT_TIMEOUT connect to 127.0.0.1:"
                                            + full.getLocalPort() + " timed out after 200 ms"),
                            log.get(0));
                }
            } finally {
                for (java.net.Socket f : fillers) f.close();
            }
        }
    }

    /** Connects to {@code server} until a connect goes unanswered; true once one has. */
    private static boolean fillAcceptQueue(java.net.ServerSocket server, List<java.net.Socket> fillers)
            throws IOException {
        for (int i = 0; i < 64; i++) {
            java.net.Socket s = new java.net.Socket();
            try {
                s.connect(server.getLocalSocketAddress(), 1_000);
                fillers.add(s);
            } catch (java.net.SocketTimeoutException e) {
                s.close();
                return true;
            }
        }
        return false;
    }

    @Test
    void netIsTheSameObjectEachTime() {
        for (String rt : EventLoops.names()) {
            try (EventLoop loop = EventLoops.create(rt)) {
                assertNotNull(loop.net());
                assertTrue(loop.net() == loop.net(), rt);
                assertInstanceOf(loopbench.core.io.Net.class, loop.net());
            }
        }
    }
}
