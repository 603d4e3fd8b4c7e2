package loopbench.bench.backend;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import loopbench.core.io.Frames;
import loopbench.core.io.NetException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The far side of the I/O benchmarks: a loopback TCP server that answers each request after the
 * delay the request asks for, on threads of its own (never the runtime's under test).
 *
 * <p>Protocol ({@link Frames}: 4-byte big-endian length, then payload). A request's payload is
 * {@code delayMicros} (4 bytes), {@code responseBytes} (4 bytes), then an optional body. After
 * {@code delayMicros} the server sends one frame of {@code responseBytes} bytes: the first
 * {@code min(body, responseBytes)} bytes echo the body (so a client can put a request id there and
 * match answers to pipelined requests), the rest are zeros. Answers leave in order of due time, and
 * in arrival order for equal due times. A malformed request (shorter than 8 bytes, a negative delay
 * or size, or a size above {@code --max-response-bytes}) closes that connection.
 *
 * <p>Threads: one acceptor (blocking accept) hands each connection to one of {@code --threads}
 * selector threads, round robin. Each selector thread owns its connections and a timer heap: it
 * sleeps in select until the earliest due answer (whole ms), parks for the sub-millisecond rest,
 * then writes what is due, gathering a connection's pipelined answers into one write.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar loopbench.bench.backend.DelayBackend --port 7000 [--threads 2]
 * </pre>
 */
public final class DelayBackend implements AutoCloseable {
    /** Request payload: delay (4) + response size (4). */
    public static final int REQUEST_HEADER_BYTES = 8;

    public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
    private static final long MAX_DELAY_MICROS = TimeUnit.MINUTES.toMicros(10);
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int MAX_GATHER = 64;
    private static final long SUB_MS_PARK_NANOS = 100_000;

    private final ServerSocketChannel server;
    private final int port;
    private final Worker[] workers;
    private final Thread acceptor;
    private final int maxResponseBytes;
    private final AtomicInteger nextWorker = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong responses = new AtomicLong();
    private final AtomicLong protocolErrors = new AtomicLong();
    private volatile boolean running = true;
    private final ByteBuffer zeros;

    /** Starts listening on 127.0.0.1:{@code port} (0: ephemeral) with {@code threads} selector threads. */
    public DelayBackend(int port, int threads, int maxResponseBytes, int backlog) throws IOException {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        this.maxResponseBytes = maxResponseBytes;
        this.zeros =
                ByteBuffer.allocateDirect(Math.min(maxResponseBytes, 1 << 20)).asReadOnlyBuffer();
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
        this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(i);
            workers[i].start();
        }
        acceptor = new Thread(this::acceptLoop, "delay-backend-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public DelayBackend(int port) throws IOException {
        this(port, 2, DEFAULT_MAX_RESPONSE_BYTES, 16_384);
    }

    public int port() {
        return port;
    }

    public int openConnections() {
        return open.get();
    }

    public long requests() {
        return requests.get();
    }

    public long responses() {
        return responses.get();
    }

    public long protocolErrors() {
        return protocolErrors.get();
    }

    /** A request frame: the payload (delay, size, body) with its length prefix. */
    public static byte[] request(int delayMicros, int responseBytes, byte[] body) {
        byte[] frame = new byte[Frames.HEADER_BYTES + REQUEST_HEADER_BYTES + body.length];
        ByteBuffer.wrap(frame)
                .putInt(REQUEST_HEADER_BYTES + body.length)
                .putInt(delayMicros)
                .putInt(responseBytes)
                .put(body);
        return frame;
    }

    /** The payload of a request frame, for {@code Connection.writeFrame}. */
    public static byte[] requestPayload(int delayMicros, int responseBytes, byte[] body) {
        byte[] p = new byte[REQUEST_HEADER_BYTES + body.length];
        ByteBuffer.wrap(p).putInt(delayMicros).putInt(responseBytes).put(body);
        return p;
    }

    private void acceptLoop() {
        while (running) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!running) return;
                System.err.println("delay-backend: accept failed: " + e + " (" + open.get() + " connections open)");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // EMFILE and friends: do not spin
                continue;
            }
            accepted.incrementAndGet();
            open.incrementAndGet();
            Worker w = workers[Math.floorMod(nextWorker.getAndIncrement(), workers.length)];
            w.handOver(ch);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Worker w : workers) w.selector.wakeup();
        try {
            acceptor.join(5_000);
            for (Worker w : workers) w.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // =================================================================== one selector thread

    /** An answer waiting for its due time. */
    private record Due(long dueNanos, long seq, Conn conn, int size, byte[] echo) {}

    private final class Conn {
        final SocketChannel ch;
        final SelectionKey key;
        ByteBuffer in = ByteBuffer.allocate(256); // write mode: bytes received, not yet parsed
        final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        boolean dirty; // answers queued since the last flush
        boolean waitWrite; // the socket was full: OP_WRITE is on
        boolean closed;

        Conn(SocketChannel ch, SelectionKey key) {
            this.ch = ch;
            this.key = key;
        }
    }

    private final class Worker extends Thread {
        final Selector selector;
        final ConcurrentLinkedQueue<SocketChannel> handed = new ConcurrentLinkedQueue<>();
        final PriorityQueue<Due> timers = new PriorityQueue<>(
                (a, b) -> a.dueNanos != b.dueNanos ? Long.compare(a.dueNanos, b.dueNanos) : Long.compare(a.seq, b.seq));
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
        final List<Conn> dirty = new ArrayList<>();
        final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
        long seq;

        Worker(int i) throws IOException {
            super("delay-backend-selector-" + i);
            setDaemon(true);
            selector = Selector.open();
        }

        void handOver(SocketChannel ch) {
            handed.add(ch);
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (running) {
                    long wait = timers.isEmpty() ? -1 : timers.peek().dueNanos - System.nanoTime();
                    if (wait < 0 && !timers.isEmpty()) wait = 0;
                    if (!handed.isEmpty() || wait == 0) selector.selectNow(this::ready);
                    else if (wait < 0) selector.select(this::ready);
                    else if (wait >= 1_000_000)
                        selector.select(this::ready, wait / 1_000_000); // never past the due time
                    else if (selector.selectNow(this::ready) == 0)
                        LockSupport.parkNanos(Math.min(wait, SUB_MS_PARK_NANOS));
                    register();
                    fireDue();
                    flushDirty();
                }
            } catch (IOException | ClosedSelectorException e) {
                if (running) System.err.println("delay-backend: " + getName() + " failed: " + e);
            } finally {
                for (SelectionKey k : selector.keys()) closeQuietly((Conn) k.attachment());
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }

        private void register() {
            SocketChannel ch;
            while ((ch = handed.poll()) != null) {
                try {
                    ch.configureBlocking(false);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
                    key.attach(new Conn(ch, key));
                } catch (IOException e) {
                    open.decrementAndGet();
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }
        }

        private void ready(SelectionKey key) {
            Conn c = (Conn) key.attachment();
            if (c == null || c.closed) return;
            try {
                if (key.isWritable()) {
                    c.dirty = true;
                    dirty.add(c);
                }
                if (key.isReadable()) read(c);
            } catch (IOException e) {
                closeQuietly(c);
            }
        }

        private void read(Conn c) throws IOException {
            for (int i = 0; i < 4; i++) { // a few reads per event, then let others have their turn
                readBuffer.clear();
                int n = c.ch.read(readBuffer);
                if (n < 0) {
                    closeQuietly(c);
                    return;
                }
                if (n == 0) return;
                readBuffer.flip();
                if (c.in.remaining() < n) c.in = grow(c.in, n);
                c.in.put(readBuffer);
                parse(c);
                if (c.closed || n < READ_BUFFER_BYTES) return;
            }
        }

        private ByteBuffer grow(ByteBuffer in, int more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(in.capacity() * 2, in.position() + more));
            in.flip();
            return bigger.put(in);
        }

        /** Every complete request in {@code c.in}: answer now (no delay) or schedule the answer. */
        private void parse(Conn c) {
            ByteBuffer in = c.in.flip();
            long now = System.nanoTime();
            try {
                while (in.remaining() >= Frames.HEADER_BYTES) {
                    int len = in.getInt(in.position());
                    Frames.checkLength(len, REQUEST_HEADER_BYTES + maxResponseBytes, "a delay-backend client");
                    if (len < REQUEST_HEADER_BYTES) {
                        throw new NetException(
                                NetException.ERR_FRAME_MALFORMED,
                                "request of " + len + " bytes: needs at least " + REQUEST_HEADER_BYTES
                                        + " (delay micros, response bytes)");
                    }
                    if (in.remaining() < Frames.HEADER_BYTES + len) break;
                    in.position(in.position() + Frames.HEADER_BYTES);
                    int delayMicros = in.getInt();
                    int size = in.getInt();
                    int bodyLen = len - REQUEST_HEADER_BYTES;
                    if (delayMicros < 0 || size < 0 || size > maxResponseBytes) {
                        throw new NetException(
                                NetException.ERR_FRAME_MALFORMED,
                                "request asks for a delay of "
                                        + delayMicros + " us and " + size + " response bytes (limits: 0.."
                                        + MAX_DELAY_MICROS
                                        + " us, 0.." + maxResponseBytes + " bytes)");
                    }
                    byte[] echo = null;
                    int echoLen = Math.min(bodyLen, size);
                    if (echoLen > 0) {
                        echo = new byte[echoLen];
                        in.get(echo);
                    }
                    in.position(in.position() + bodyLen - echoLen);
                    requests.incrementAndGet();
                    long delay = Math.min(delayMicros, MAX_DELAY_MICROS) * 1_000L;
                    if (delay == 0) answer(c, size, echo);
                    else timers.add(new Due(now + delay, seq++, c, size, echo));
                }
            } catch (NetException e) {
                protocolErrors.incrementAndGet();
                System.err.println("delay-backend: closing a connection: " + e.getMessage());
                closeQuietly(c);
                return;
            }
            in.compact();
        }

        private void fireDue() {
            long now = System.nanoTime();
            Due d;
            while ((d = timers.peek()) != null && d.dueNanos <= now) {
                timers.poll();
                if (!d.conn.closed) answer(d.conn, d.size, d.echo);
            }
        }

        private void answer(Conn c, int size, byte[] echo) {
            int echoLen = echo == null ? 0 : echo.length;
            if (size <= 4096 || echoLen > 0 && size - echoLen <= 4096) {
                ByteBuffer b = ByteBuffer.allocate(Frames.HEADER_BYTES + size).putInt(size);
                if (echoLen > 0) b.put(echo);
                c.out.add(b.clear());
            } else {
                ByteBuffer head =
                        ByteBuffer.allocate(Frames.HEADER_BYTES + echoLen).putInt(size);
                if (echoLen > 0) head.put(echo);
                c.out.add(head.flip());
                for (int left = size - echoLen; left > 0; ) {
                    int n = Math.min(left, zeros.capacity());
                    c.out.add(zeros.duplicate().limit(n));
                    left -= n;
                }
            }
            responses.incrementAndGet();
            if (!c.dirty) {
                c.dirty = true;
                dirty.add(c);
            }
        }

        /** Writes each connection's queued answers, gathered; a full socket waits for OP_WRITE. */
        private void flushDirty() {
            for (int i = 0; i < dirty.size(); i++) {
                Conn c = dirty.get(i);
                c.dirty = false;
                if (c.closed) continue;
                try {
                    flush(c);
                } catch (IOException e) {
                    closeQuietly(c);
                }
            }
            dirty.clear();
        }

        private void flush(Conn c) throws IOException {
            while (!c.out.isEmpty()) {
                int n = 0;
                long want = 0;
                for (ByteBuffer b : c.out) {
                    gather[n++] = b;
                    want += b.remaining();
                    if (n == MAX_GATHER) break;
                }
                long wrote = c.ch.write(gather, 0, n);
                java.util.Arrays.fill(gather, 0, n, null);
                while (!c.out.isEmpty() && !c.out.peek().hasRemaining()) c.out.poll();
                if (wrote < want) break; // the socket is full
            }
            boolean full = !c.out.isEmpty();
            if (full != c.waitWrite) {
                c.waitWrite = full;
                c.key.interestOps(full ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }
        }

        private void closeQuietly(Conn c) {
            if (c == null || c.closed) return;
            c.closed = true;
            c.out.clear();
            c.key.cancel();
            open.decrementAndGet();
            try {
                c.ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    // =================================================================== command line

    public static void main(String[] args) {
        System.exit(new CommandLine(new CommandLineOptions()).execute(args));
    }

    /** {@code DelayBackend [--port N] [--threads T] ...}: a delay backend in a process of its own, until killed. */
    @Command(
            name = "DelayBackend",
            mixinStandardHelpOptions = true,
            description = "Answers each frame after its delay.")
    static final class CommandLineOptions implements Callable<Integer> {
        @Option(names = "--port", description = "the port (default 7000; 0: ephemeral)")
        int port = 7000;

        @Option(names = "--threads", description = "selector threads (default 2)")
        int threads = 2;

        @Option(names = "--max-response-bytes", description = "the largest answer (default 16 MiB)")
        int maxResponse = DEFAULT_MAX_RESPONSE_BYTES;

        @Option(names = "--backlog", description = "the listen backlog (default 16384)")
        int backlog = 16_384;

        @Option(names = "--stats", paramLabel = "MS", description = "print counters every MS milliseconds")
        long statsEveryMs;

        @Option(names = "--exit-on-stdin-eof", description = "stop when the parent process closes our stdin or dies")
        boolean exitOnStdinEof;

        @Override
        public Integer call() throws Exception {
            serve(port, threads, maxResponse, backlog, statsEveryMs, exitOnStdinEof);
            return 0;
        }
    }

    private static void serve(
            int port, int threads, int maxResponse, int backlog, long statsEveryMs, boolean exitOnStdinEof)
            throws Exception {
        DelayBackend b = new DelayBackend(port, threads, maxResponse, backlog);
        Runtime.getRuntime().addShutdownHook(new Thread(b::close));
        System.out.println(
                "delay-backend listening on 127.0.0.1:" + b.port() + " with " + threads + " selector threads");
        System.out.flush();
        if (exitOnStdinEof) {
            // a parent that starts us for one run (./loopbench bench) holds our stdin: when it ends, so do we, never
            // orphaned
            Thread.ofPlatform().daemon().name("delay-backend-stdin-watch").start(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // discard
                    }
                } catch (IOException e) {
                    // the pipe broke: the parent is gone
                }
                System.exit(0);
            });
        }
        long lastResponses = 0, last = System.nanoTime();
        while (true) {
            Thread.sleep(statsEveryMs > 0 ? statsEveryMs : 60_000);
            if (statsEveryMs > 0) {
                long now = System.nanoTime(), r = b.responses();
                System.out.printf(
                        "open=%d accepted=%d requests=%d responses=%d (%.0f/s) protocolErrors=%d%n",
                        b.open.get(),
                        b.accepted.get(),
                        b.requests(),
                        r,
                        (r - lastResponses) * 1e9 / (now - last),
                        b.protocolErrors());
                lastResponses = r;
                last = now;
            }
        }
    }
}
