package loopbench.bench.backend;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import loopbench.core.io.Frames;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A small NIO load client for {@link DelayBackend}: measures how much the backend carries, so a
 * benchmark can show it is not the bottleneck.
 *
 * <ul>
 *   <li>{@code throughput}: {@code --connections C} each keep {@code --pipeline P} requests in
 *       flight for {@code --duration S} seconds (after a 2 s warm-up); prints requests/s and the
 *       latency percentiles (per connection answers come back in order, since delays are equal).
 *   <li>{@code connections}: opens {@code --connections N} connections (at most 512 connects at a
 *       time), each sends one request; all are then held open for {@code --rounds R} rounds in
 *       which every connection sends a request and waits for its answer.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar loopbench.bench.backend.BackendLoad --port 7000 --mode throughput
 * </pre>
 */
public final class BackendLoad {
    private final InetSocketAddress address;
    private final int delayMicros, size;
    private final byte[] request;

    BackendLoad(InetSocketAddress address, int delayMicros, int size) {
        this.address = address;
        this.delayMicros = delayMicros;
        this.size = size;
        this.request = DelayBackend.request(delayMicros, size, new byte[0]);
    }

    /** One connection's state: how many answers it waits for, and where its answer stream is. */
    private static final class Conn {
        SocketChannel ch;
        SelectionKey key;
        int inFlight;
        long[] sentAt; // ring of send times (throughput mode)
        int sentHead, sentTail;
        final ByteBuffer header = ByteBuffer.allocate(Frames.HEADER_BYTES);
        int payloadLeft = -1; // -1: reading a header
        ByteBuffer pendingOut; // request bytes the socket has not taken yet
        boolean connected;
    }

    /** Reads what is there; returns how many complete answers it held. */
    private static int readAnswers(Conn c, ByteBuffer buf) throws IOException {
        int answers = 0;
        for (; ; ) {
            buf.clear();
            int n = c.ch.read(buf);
            if (n < 0) throw new IOException("the backend closed the connection");
            if (n == 0) return answers;
            buf.flip();
            while (buf.hasRemaining()) {
                if (c.payloadLeft < 0) {
                    while (c.header.hasRemaining() && buf.hasRemaining()) c.header.put(buf.get());
                    if (c.header.hasRemaining()) break;
                    c.payloadLeft = c.header.getInt(0);
                    c.header.clear();
                }
                int skip = Math.min(c.payloadLeft, buf.remaining());
                buf.position(buf.position() + skip);
                c.payloadLeft -= skip;
                if (c.payloadLeft == 0) {
                    c.payloadLeft = -1;
                    answers++;
                }
            }
            if (n < buf.capacity()) return answers;
        }
    }

    private void send(Conn c, int count, long now) throws IOException {
        if (count <= 0) return;
        ByteBuffer out =
                ByteBuffer.allocate(request.length * count + (c.pendingOut == null ? 0 : c.pendingOut.remaining()));
        if (c.pendingOut != null) out.put(c.pendingOut);
        for (int i = 0; i < count; i++) {
            out.put(request);
            if (c.sentAt != null) {
                c.sentAt[c.sentTail] = now;
                c.sentTail = (c.sentTail + 1) % c.sentAt.length;
            }
        }
        out.flip();
        c.ch.write(out);
        c.pendingOut = out.hasRemaining() ? out : null;
        c.key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        c.inFlight += count;
    }

    private Conn open(Selector selector) throws IOException {
        Conn c = new Conn();
        c.ch = SocketChannel.open();
        c.ch.configureBlocking(false);
        c.ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        c.connected = c.ch.connect(address);
        c.key = c.ch.register(selector, c.connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
        return c;
    }

    // =================================================================== throughput

    record Throughput(long requests, double seconds, Histogram latency) {
        double perSecond() {
            return requests / seconds;
        }
    }

    Throughput throughput(int connections, int pipeline, int threads, double warmupSeconds, double seconds)
            throws Exception {
        AtomicLong counted = new AtomicLong();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> ts = new ArrayList<>();
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        CountDownLatch failed = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            int mine = connections / threads + (t < connections % threads ? 1 : 0);
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            histograms.add(h);
            Thread th = new Thread(
                    () -> {
                        try {
                            throughputThread(mine, pipeline, measureFrom, end, counted, h);
                        } catch (Throwable e) {
                            failure[0] = e;
                            failed.countDown();
                        }
                    },
                    "backend-load-" + t);
            th.start();
            ts.add(th);
        }
        for (Thread th : ts) th.join();
        if (failure[0] != null) throw new IllegalStateException("load client failed: " + failure[0], failure[0]);
        Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        histograms.forEach(all::add);
        return new Throughput(counted.get(), (end - measureFrom) / 1e9, all);
    }

    private void throughputThread(
            int connections, int pipeline, long measureFrom, long end, AtomicLong counted, Histogram latency)
            throws IOException {
        try (Selector selector = Selector.open()) {
            List<Conn> conns = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Conn c = open(selector);
                c.sentAt = new long[pipeline];
                conns.add(c);
                if (c.connected) send(c, pipeline, System.nanoTime());
            }
            ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
            long local = 0;
            while (System.nanoTime() < end) {
                selector.select(
                        key -> {
                            Conn c = (Conn) key.attachment();
                            try {
                                if (key.isConnectable()) {
                                    c.ch.finishConnect();
                                    c.connected = true;
                                    key.interestOps(SelectionKey.OP_READ);
                                    send(c, pipeline, System.nanoTime());
                                    return;
                                }
                                if (key.isWritable() && c.pendingOut != null) {
                                    c.ch.write(c.pendingOut);
                                    if (!c.pendingOut.hasRemaining()) {
                                        c.pendingOut = null;
                                        key.interestOps(SelectionKey.OP_READ);
                                    }
                                }
                                if (key.isReadable()) {
                                    int got = readAnswers(c, buf);
                                    long now = System.nanoTime();
                                    for (int i = 0; i < got; i++) {
                                        long sent = c.sentAt[c.sentHead];
                                        c.sentHead = (c.sentHead + 1) % c.sentAt.length;
                                        if (now >= measureFrom && now < end)
                                            latency.recordValue(Math.max(0, now - sent));
                                    }
                                    c.inFlight -= got;
                                    if (now >= measureFrom && now < end) counted.addAndGet(got);
                                    send(c, got, now);
                                }
                            } catch (IOException e) {
                                throw new IllegalStateException("connection failed: " + e, e);
                            }
                        },
                        100);
            }
            for (Conn c : conns) c.ch.close();
        }
    }

    // =================================================================== many open connections

    record Held(int open, double connectSeconds, int rounds, double roundSeconds) {}

    Held holdConnections(int connections, int rounds) throws IOException {
        try (Selector selector = Selector.open()) {
            List<Conn> conns = new ArrayList<>(connections);
            ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
            long t0 = System.nanoTime();
            int answered = 0, connecting = 0, opened = 0;
            int[] done = {0};
            while (answered < connections) {
                while (opened < connections && connecting < 512) {
                    Conn c = open(selector);
                    conns.add(c);
                    opened++;
                    if (c.connected) send(c, 1, 0);
                    else connecting++;
                }
                done[0] = 0;
                int[] connectedNow = {0};
                if (selector.select(
                                        key -> {
                                            Conn c = (Conn) key.attachment();
                                            try {
                                                if (key.isConnectable()) {
                                                    c.ch.finishConnect();
                                                    c.connected = true;
                                                    connectedNow[0]++;
                                                    send(c, 1, 0);
                                                    return;
                                                }
                                                if (key.isWritable() && c.pendingOut != null) {
                                                    c.ch.write(c.pendingOut);
                                                    if (!c.pendingOut.hasRemaining()) {
                                                        c.pendingOut = null;
                                                        key.interestOps(SelectionKey.OP_READ);
                                                    }
                                                }
                                                if (key.isReadable()) {
                                                    int got = readAnswers(c, buf);
                                                    c.inFlight -= got;
                                                    done[0] += got;
                                                }
                                            } catch (IOException e) {
                                                throw new IllegalStateException(
                                                        "connection " + conns.indexOf(c) + " failed: " + e, e);
                                            }
                                        },
                                        10_000)
                                == 0
                        && answered < connections
                        && connecting == 0
                        && opened == connections) {
                    throw new IllegalStateException(
                            "no answer in 10 s with " + answered + " of " + connections + " answered");
                }
                connecting -= connectedNow[0];
                answered += done[0];
            }
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            long r0 = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                for (Conn c : conns) send(c, 1, 0);
                int got = 0;
                while (got < connections) {
                    done[0] = 0;
                    if (selector.select(
                                    key -> {
                                        Conn c = (Conn) key.attachment();
                                        try {
                                            if (key.isWritable() && c.pendingOut != null) {
                                                c.ch.write(c.pendingOut);
                                                if (!c.pendingOut.hasRemaining()) {
                                                    c.pendingOut = null;
                                                    key.interestOps(SelectionKey.OP_READ);
                                                }
                                            }
                                            if (key.isReadable()) done[0] += readAnswers(c, buf);
                                        } catch (IOException e) {
                                            throw new IllegalStateException("connection failed: " + e, e);
                                        }
                                    },
                                    10_000)
                            == 0) {
                        throw new IllegalStateException(
                                "round " + round + ": no answer in 10 s, " + got + " of " + connections);
                    }
                    got += done[0];
                }
            }
            double roundSeconds = rounds == 0 ? 0 : (System.nanoTime() - r0) / 1e9 / rounds;
            int open = 0;
            for (Conn c : conns) {
                if (c.ch.isConnected()) open++;
                c.ch.close();
            }
            return new Held(open, connectSeconds, rounds, roundSeconds);
        }
    }

    // =================================================================== command line

    public static void main(String[] args) {
        System.exit(new CommandLine(new CommandLineOptions()).execute(args));
    }

    /** {@code BackendLoad [--host H] [--port N] [--mode throughput|connections] ...}: loads a delay backend, prints what it did. */
    @Command(
            name = "BackendLoad",
            mixinStandardHelpOptions = true,
            description = "Loads a delay backend and prints its throughput or connection count.")
    static final class CommandLineOptions implements Callable<Integer> {
        @Option(names = "--host")
        String host = "127.0.0.1";

        @Option(names = "--port")
        int port = 7000;

        @Option(names = "--mode", description = "throughput or connections (default throughput)")
        String mode = "throughput";

        @Option(names = "--connections", description = "default 64 (throughput), 10000 (connections)")
        int connections = -1;

        @Option(names = "--pipeline")
        int pipeline = 32;

        @Option(names = "--threads")
        int threads = 1;

        @Option(names = "--delay-us")
        int delay = 0;

        @Option(names = "--size")
        int size = 16;

        @Option(names = "--duration")
        double duration = 10;

        @Option(names = "--warmup")
        double warmup = 2;

        @Option(names = "--rounds")
        int rounds = 5;

        @Option(names = "--embedded", description = "start a DelayBackend in this process")
        boolean embedded;

        @Option(names = "--backend-threads", description = "its selector threads (with --embedded)")
        int backendThreads = 2;

        @Override
        public Integer call() throws Exception {
            run(
                    host,
                    port,
                    mode,
                    connections,
                    pipeline,
                    threads,
                    delay,
                    size,
                    duration,
                    warmup,
                    rounds,
                    embedded,
                    backendThreads);
            return 0;
        }
    }

    private static void run(
            String host,
            int port,
            String mode,
            int connections,
            int pipeline,
            int threads,
            int delay,
            int size,
            double duration,
            double warmup,
            int rounds,
            boolean embedded,
            int backendThreads)
            throws Exception {
        DelayBackend backend =
                embedded ? new DelayBackend(0, backendThreads, DelayBackend.DEFAULT_MAX_RESPONSE_BYTES, 16_384) : null;
        if (backend != null) port = backend.port();
        BackendLoad load = new BackendLoad(new InetSocketAddress(host, port), delay, size);
        try {
            if (mode.equals("throughput")) {
                int c = connections < 0 ? 64 : connections;
                Throughput t = load.throughput(c, pipeline, threads, warmup, duration);
                Histogram h = t.latency();
                System.out.printf(
                        "throughput: %d connections x %d pipelined, delay %d us, %d-byte answers, %d client threads: "
                                + "%.0f requests/s over %.1f s; latency us p50 %.0f p99 %.0f p99.9 %.0f max %.0f%n",
                        c,
                        pipeline,
                        delay,
                        size,
                        threads,
                        t.perSecond(),
                        t.seconds(),
                        h.getValueAtPercentile(50) / 1e3,
                        h.getValueAtPercentile(99) / 1e3,
                        h.getValueAtPercentile(99.9) / 1e3,
                        h.getMaxValue() / 1e3);
            } else if (mode.equals("connections")) {
                int c = connections < 0 ? 10_000 : connections;
                Held held = load.holdConnections(c, rounds);
                System.out.printf(
                        "connections: %d open and answered (opened in %.2f s); %d rounds of one request on every "
                                + "connection: %.1f ms a round, %.0f requests/s%n",
                        held.open(),
                        held.connectSeconds(),
                        held.rounds(),
                        held.roundSeconds() * 1e3,
                        held.roundSeconds() == 0 ? 0 : c / held.roundSeconds());
            } else {
                throw new IllegalArgumentException("--mode must be throughput or connections, was '" + mode + "'");
            }
        } finally {
            if (backend != null) backend.close();
        }
    }
}
