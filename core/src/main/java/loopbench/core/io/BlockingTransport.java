package loopbench.core.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Phaser;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The transport of the runtimes that block: every socket call (connect, accept, read, write) is
 * a plain blocking call, run where the runtime runs blocking work ({@link BlockingCalls}: a new
 * virtual thread each on {@code loom}, a thread of the bounded pool on {@code threadpool}), and
 * its result comes back as a poll-phase completion. A connection waiting to read holds one such
 * thread for as long as it waits; an accepting server holds one too. On a bounded pool that is
 * the model's limit: when every thread waits in a read, further calls queue behind them, and a
 * read-timeout message says its read is still queued.
 *
 * <p>Invariants: at most one read and one write are in flight per socket (the connection queues
 * the rest); every socket opened is tracked until closed, so {@link #shutdown} closes them all,
 * even one whose connect completed after the loop stopped.
 *
 * <p>An accept must not be interrupted: when the interrupt lands just after the kernel handed the
 * accept a new socket, {@code ServerSocketChannelImpl.accept} throws
 * {@code ClosedByInterruptException} without closing that socket, which then leaks for the life of
 * the process (seen under load as one descriptor in CLOSE_WAIT after close()). The loop interrupts
 * its threads once {@link #shutdown} returns, so shutdown closes the listening sockets first (an
 * accept in progress then returns at once) and waits for the accepts in flight to leave.
 */
public final class BlockingTransport implements Transport {
    private static final int READ_BUFFER_BYTES = 16 * 1024;
    private static final long ACCEPT_RETRY_PAUSE_MS = 50;

    private final BlockingCalls calls;
    private final OpenSockets sockets = new OpenSockets();
    private final Phaser accepting = new Phaser(1); // one party per accept in flight, plus shutdown's
    private final AtomicBoolean shutDown = new AtomicBoolean(); // shutdown deregisters its party once

    public BlockingTransport(BlockingCalls calls) {
        this.calls = calls;
    }

    @Override
    public Runnable connect(InetSocketAddress address, TcpOptions options, BiConsumer<StreamChannel, Throwable> done) {
        Connecting attempt = new Connecting();
        calls.call(
                () -> {
                    SocketChannel ch = sockets.track(SocketChannel.open());
                    attempt.ch = ch;
                    try {
                        if (attempt.abandoned) throw new AsynchronousCloseException();
                        ch.setOption(StandardSocketOptions.TCP_NODELAY, options.noDelay());
                        ch.connect(address);
                        return ch;
                    } catch (Throwable t) {
                        sockets.close(ch);
                        throw t;
                    }
                },
                (ch, error) -> {
                    if (error != null) done.accept(null, error);
                    else done.accept(new Stream(ch), null);
                });
        return attempt::abandon;
    }

    /**
     * A blocking connect that may be abandoned from the loop: the connecting thread publishes its
     * socket, then reads {@code abandoned}; {@link #abandon} writes {@code abandoned}, then reads the
     * socket (volatiles both), so one of them always closes it.
     */
    private final class Connecting {
        volatile SocketChannel ch;
        volatile boolean abandoned;

        void abandon() {
            abandoned = true;
            SocketChannel c = ch;
            if (c != null) sockets.close(c); // the blocking connect ends with AsynchronousCloseException
        }
    }

    @Override
    public ListenChannel listen(InetSocketAddress address, TcpOptions options, AcceptSink sink) throws IOException {
        ServerSocketChannel ss = sockets.track(ServerSocketChannel.open());
        try {
            ss.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as libuv does on Unix
            ss.bind(address, options.backlog());
        } catch (IOException | RuntimeException e) {
            sockets.close(ss);
            throw e;
        }
        Listener l = new Listener(ss, options, sink);
        l.acceptNext(false);
        return l;
    }

    @Override
    public void shutdown(long deadlineNanos) {
        if (!shutDown.compareAndSet(false, true)) return;
        sockets.closeAll(); // every listening socket too: an accept in progress returns at once
        int phase = accepting.arriveAndDeregister(); // no accept starts after this: its socket is closed
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) accepting.awaitAdvanceInterruptibly(phase, left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // an accept still in flight at the deadline: the interrupt may leak its socket; nothing more to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An accepting server: one blocking accept in flight while it listens. */
    private final class Listener implements ListenChannel {
        private final ServerSocketChannel ss;
        private final TcpOptions options;
        private final AcceptSink sink;
        private final int port;
        private volatile boolean closed;

        Listener(ServerSocketChannel ss, TcpOptions options, AcceptSink sink) throws IOException {
            this.ss = ss;
            this.options = options;
            this.sink = sink;
            this.port = ((InetSocketAddress) ss.getLocalAddress()).getPort();
        }

        void acceptNext(boolean afterError) {
            calls.call(
                    () -> {
                        if (afterError) Thread.sleep(ACCEPT_RETRY_PAUSE_MS); // e.g. EMFILE: do not spin
                        SocketChannel ch = acceptCounted();
                        try {
                            sockets.track(ch).setOption(StandardSocketOptions.TCP_NODELAY, options.noDelay());
                        } catch (IOException e) {
                            sockets.close(ch);
                            throw e;
                        }
                        return ch;
                    },
                    (ch, error) -> {
                        if (closed) {
                            if (ch != null) sockets.close(ch);
                            return;
                        }
                        if (error != null) {
                            // a runtime that refuses to start the call would refuse again at once: stop, don't recurse
                            if (!(error instanceof RejectedExecutionException)) acceptNext(true);
                            sink.onError(error);
                            return;
                        }
                        acceptNext(false); // the next accept first, so a throwing listener stops nothing
                        sink.onAccept(new Stream(ch));
                    });
        }

        /** {@code ss.accept()}, counted while in flight so that {@link #shutdown} can wait it out. */
        private SocketChannel acceptCounted() throws IOException {
            if (accepting.register() < 0) throw new AsynchronousCloseException(); // shut down already
            try {
                return ss.accept();
            } finally {
                accepting.arriveAndDeregister();
            }
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public void close() {
            closed = true;
            sockets.close(ss); // ends the accept in flight with AsynchronousCloseException
        }
    }

    /** One connected socket in blocking mode. */
    private final class Stream extends SocketStream {
        private ByteBuffer buf;
        private boolean reading, inFlight; // owner-only
        private volatile boolean started; // the read in flight got a thread
        private volatile boolean closed;

        Stream(SocketChannel ch) {
            super(ch);
        }

        @Override
        public void readStart() {
            reading = true;
            if (!inFlight && !closed) issueRead();
        }

        @Override
        public void readStop() {
            reading = false; // a read in flight cannot be called back; its data is still delivered
        }

        private void issueRead() {
            inFlight = true;
            started = false;
            if (buf == null) buf = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
            ByteBuffer b = buf;
            calls.call(
                    () -> {
                        started = true;
                        return ch.read(b);
                    },
                    (n, error) -> {
                        inFlight = false;
                        if (closed) return;
                        if (error != null) {
                            sink.onError(error);
                        } else if (n < 0) {
                            sink.onEnd();
                        } else {
                            b.flip();
                            try {
                                sink.onData(b);
                            } finally {
                                b.clear();
                                if (reading && !inFlight && !closed) issueRead();
                            }
                        }
                    });
        }

        @Override
        public void write(ByteBuffer[] data, Consumer<Throwable> done) {
            calls.call(
                    () -> {
                        while (remaining(data)) ch.write(data);
                        return null;
                    },
                    (ignored, error) -> done.accept(error));
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            sockets.close(ch); // a read or write in flight ends with AsynchronousCloseException
        }

        @Override
        public String readState() {
            if (!inFlight) return "";
            return started
                    ? "a blocking read is in progress"
                    : "its blocking read has not started yet: it is queued, waiting for a free thread";
        }
    }

    static boolean remaining(ByteBuffer[] data) {
        for (ByteBuffer b : data) if (b.hasRemaining()) return true;
        return false;
    }
}
