package loopbench.loop.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import loopbench.core.io.OpenSockets;
import loopbench.core.io.SocketStream;
import loopbench.core.io.TcpOptions;
import loopbench.core.io.Transport;

/**
 * libuv's uv__io_poll for the {@code loop} runtime: non-blocking sockets registered with one
 * {@link Selector} (epoll on Linux), which the poll phase sleeps in ({@link #await}) and whose
 * ready keys it dispatches ({@link #poll}), each read, write completion, accept and connect as its
 * own callback scope. Everything runs on the loop's thread; only {@link #wakeup} and
 * {@link #shutdown} come from others.
 *
 * <p>Algorithm: reading is level-triggered and stopped lazily: {@code readStop} only clears a
 * flag, and the OP_READ interest is dropped when a read event finds nobody reading, so a
 * request/response connection keeps one registration instead of two epoll_ctl calls per frame. A
 * write is tried at once; what the socket does not take waits for OP_WRITE. A completion that
 * happened inside the call (a write the socket took whole, a loopback connect) is queued and runs
 * at the next poll phase, like libuv's pending queue: a completion never runs inside its call.
 *
 * <p>The selector is opened on first use, so a loop that never touches the network sleeps as
 * before (parked, nanosecond timers); once open, the poll phase sleeps in {@code select}, whose
 * timeout is rounded up to the millisecond (a timer may fire up to 1 ms late, never early).
 */
public final class SelectorTransport implements Transport {
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int ACCEPTS_PER_EVENT = 64; // then the next poll phase: other sockets get their turn

    private final Consumer<Runnable> runCallback; // the loop's Host.runCallback: one callback scope each
    private final BooleanSupplier stopping; // the loop's Host.stopping
    private volatile Selector selector;
    private final ArrayList<SelectionKey> ready = new ArrayList<>();
    private final Consumer<SelectionKey> collect = ready::add;
    private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
    private final OpenSockets sockets = new OpenSockets();
    private boolean selected; // the poll phase's sleep already selected: its keys are in `ready`
    private ByteBuffer readBuffer; // one for the loop: a read's data is consumed before the next read

    /** Built by the loop, which lends its callback runner and its stop flag. */
    public SelectorTransport(Host loop) {
        this.runCallback = loop::runCallback;
        this.stopping = loop::stopping;
    }

    /** A registered channel's reaction to its ready operations (runs in the poll phase, on the loop). */
    private interface Handler {
        void ready(int readyOps);
    }

    // ------------------------------------------------------------------ the loop's hooks

    /**
     * The poll phase's sleep: selects for up to {@code nanos} (Long.MAX_VALUE: until woken), rounded
     * up to whole ms; not at all if completions are pending. Returns false when no selector is open
     * yet (the loop then parks as it always did).
     */
    @Override
    public boolean await(long nanos) {
        Selector s = selector;
        if (s == null) return false;
        try {
            if (!pending.isEmpty()) s.selectNow(collect);
            else if (nanos == Long.MAX_VALUE) s.select(collect);
            else s.select(collect, Math.max(1, (nanos + 999_999) / 1_000_000));
            selected = true;
        } catch (IOException e) {
            System.err.println("loopbench: select failed: " + e);
        } catch (ClosedSelectorException e) {
            // shut down meanwhile: the loop is stopping
        }
        return true;
    }

    /** Wakes a select in progress (or the next one). Returns false when no selector is open yet. */
    @Override
    public boolean wakeup() {
        Selector s = selector;
        if (s == null) return false;
        s.wakeup();
        return true;
    }

    /** The poll phase's dispatch: pending completions first (libuv's pending queue), then ready sockets. */
    @Override
    public void poll() {
        Selector s = selector;
        if (s == null) return;
        try {
            if (!selected && !s.keys().isEmpty()) s.selectNow(collect); // the phase did not sleep: look now
        } catch (IOException e) {
            System.err.println("loopbench: select failed: " + e);
        } catch (ClosedSelectorException e) {
            return;
        }
        selected = false;
        for (int n = pending.size(); n > 0 && !stopping.getAsBoolean(); n--) runCallback.accept(pending.poll());
        for (int i = 0; i < ready.size() && !stopping.getAsBoolean(); i++) {
            SelectionKey k = ready.get(i);
            try {
                if (k.isValid()) ((Handler) k.attachment()).ready(k.readyOps());
            } catch (CancelledKeyException e) {
                // closed by an earlier callback of this phase
            }
        }
        ready.clear();
    }

    /**
     * The loop has stopped running: a select completes the close of the channels closed since the
     * last one (a channel registered with a selector keeps its descriptor until then), so no
     * descriptor of a closed socket outlives run().
     */
    @Override
    public void runEnded() {
        Selector s = selector;
        if (s == null || s.keys().isEmpty()) return;
        try {
            s.selectNow(ignored -> {}); // level-triggered: readiness it sees now is seen again
        } catch (IOException e) {
            System.err.println("loopbench: select failed: " + e);
        } catch (ClosedSelectorException e) {
            // shut down meanwhile
        }
    }

    @Override
    public boolean hasPendingWork() {
        return !pending.isEmpty();
    }

    @Override
    public void shutdown(long deadlineNanos) {
        sockets.closeAll(); // non-blocking calls: nothing in flight to wait for
        Selector s = selector;
        if (s != null) {
            try {
                s.close(); // also completes the close of channels still registered
            } catch (IOException e) {
                System.err.println("loopbench: closing the selector failed: " + e);
            }
        }
    }

    // ------------------------------------------------------------------ connect, listen

    private Selector selector() throws IOException {
        Selector s = selector;
        if (s == null) {
            if (sockets.isClosedAll()) throw new ClosedSelectorException();
            selector = s = Selector.open();
        }
        return s;
    }

    private void defer(Runnable completion) {
        pending.add(completion);
    }

    @Override
    public Runnable connect(InetSocketAddress address, TcpOptions options, BiConsumer<StreamChannel, Throwable> done) {
        SocketChannel ch = null;
        try {
            Selector s = selector();
            ch = sockets.track(SocketChannel.open());
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, options.noDelay());
            if (ch.connect(address)) {
                Channel c = new Channel(ch);
                defer(() -> done.accept(c, null));
            } else {
                Connecting pendingConnect = new Connecting(ch, done);
                pendingConnect.key = ch.register(s, SelectionKey.OP_CONNECT, pendingConnect);
                return pendingConnect::abandon;
            }
        } catch (IOException | RuntimeException e) {
            if (ch != null) sockets.close(ch);
            defer(() -> done.accept(null, e));
        }
        return () -> {}; // already answered: its completion is queued
    }

    /** A connect in progress: OP_CONNECT, then finishConnect. */
    private final class Connecting implements Handler {
        private final SocketChannel ch;
        private final BiConsumer<StreamChannel, Throwable> done;
        SelectionKey key;
        private boolean answered;

        Connecting(SocketChannel ch, BiConsumer<StreamChannel, Throwable> done) {
            this.ch = ch;
            this.done = done;
        }

        @Override
        public void ready(int readyOps) {
            try {
                if (!ch.finishConnect()) return;
            } catch (IOException e) {
                answered = true;
                key.cancel();
                sockets.close(ch);
                runCallback.accept(() -> done.accept(null, e));
                return;
            }
            answered = true;
            key.interestOps(0);
            Channel c = new Channel(ch);
            c.key = key;
            key.attach(c);
            runCallback.accept(() -> done.accept(c, null));
        }

        /** Gives up on the connect: the socket closes and {@code done} gets the error at the next poll phase. */
        void abandon() {
            if (answered) return;
            answered = true;
            key.cancel();
            sockets.close(ch);
            defer(() -> done.accept(null, new AsynchronousCloseException()));
        }
    }

    @Override
    public ListenChannel listen(InetSocketAddress address, TcpOptions options, AcceptSink sink) throws IOException {
        Selector s = selector();
        ServerSocketChannel ss = sockets.track(ServerSocketChannel.open());
        try {
            ss.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as libuv does on Unix
            ss.bind(address, options.backlog());
            ss.configureBlocking(false);
            Acceptor a = new Acceptor(ss, options, sink);
            a.key = ss.register(s, SelectionKey.OP_ACCEPT, a);
            return a;
        } catch (IOException | RuntimeException e) {
            sockets.close(ss);
            throw e;
        }
    }

    /** A listening socket: accepts what is queued (up to a batch) on each OP_ACCEPT. */
    private final class Acceptor implements Handler, ListenChannel {
        private final ServerSocketChannel ss;
        private final TcpOptions options;
        private final AcceptSink sink;
        private final int port;
        SelectionKey key;

        Acceptor(ServerSocketChannel ss, TcpOptions options, AcceptSink sink) throws IOException {
            this.ss = ss;
            this.options = options;
            this.sink = sink;
            this.port = ((InetSocketAddress) ss.getLocalAddress()).getPort();
        }

        @Override
        public void ready(int readyOps) {
            for (int i = 0; i < ACCEPTS_PER_EVENT && key.isValid() && !stopping.getAsBoolean(); i++) {
                SocketChannel ch;
                try {
                    ch = ss.accept();
                    if (ch == null) return;
                    sockets.track(ch);
                    ch.configureBlocking(false);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, options.noDelay());
                } catch (IOException e) {
                    runCallback.accept(() -> sink.onError(e));
                    return;
                }
                Channel c = new Channel(ch);
                runCallback.accept(() -> sink.onAccept(c)); // one callback scope per connection, as uv__server_io
            }
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public void close() {
            key.cancel();
            sockets.close(ss);
        }
    }

    // ------------------------------------------------------------------ connections

    /** One non-blocking connected socket. */
    private final class Channel extends SocketStream implements Handler {
        SelectionKey key; // registered on first need
        private int interest;
        private boolean reading, closed;
        private ByteBuffer[] writeData;
        private Consumer<Throwable> writeDone;

        Channel(SocketChannel ch) {
            super(ch);
        }

        @Override
        public void readStart() {
            reading = true;
            setInterest(interest | SelectionKey.OP_READ);
        }

        @Override
        public void readStop() {
            reading = false; // lazily: the interest goes when a read event finds nobody reading
        }

        private void setInterest(int ops) {
            if (closed || ops == interest && key != null) return;
            try {
                if (key == null) key = ch.register(selector(), ops, this);
                else key.interestOps(ops);
                interest = ops;
            } catch (ClosedChannelException | CancelledKeyException e) {
                // closed: the next read or write reports it
            } catch (IOException e) {
                throw new IllegalStateException("selector unavailable: " + e, e);
            }
        }

        @Override
        public void ready(int readyOps) {
            if ((readyOps & SelectionKey.OP_WRITE) != 0 && writeData != null) flush(true);
            if ((readyOps & SelectionKey.OP_READ) != 0 && !closed) {
                if (reading) readOnce();
                else setInterest(interest & ~SelectionKey.OP_READ);
            }
        }

        private void readOnce() {
            ByteBuffer b = readBuffer;
            if (b == null) b = readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
            b.clear();
            int n;
            try {
                n = ch.read(b);
            } catch (IOException e) {
                setInterest(interest & ~SelectionKey.OP_READ);
                runCallback.accept(() -> sink.onError(e));
                return;
            }
            if (n > 0) {
                ByteBuffer data = b.flip();
                runCallback.accept(() -> sink.onData(data));
            } else if (n < 0) {
                setInterest(interest & ~SelectionKey.OP_READ);
                runCallback.accept(sink::onEnd);
            }
        }

        @Override
        public void write(ByteBuffer[] data, Consumer<Throwable> done) {
            if (closed) {
                defer(() -> done.accept(new ClosedChannelException()));
                return;
            }
            writeData = data;
            writeDone = done;
            flush(false);
        }

        /** Writes what the socket takes; the rest waits for OP_WRITE. */
        private void flush(boolean fromEvent) {
            try {
                while (remaining(writeData)) {
                    if (ch.write(writeData) == 0) break;
                }
            } catch (IOException e) {
                finishWrite(e, fromEvent);
                return;
            }
            if (remaining(writeData)) {
                setInterest(interest | SelectionKey.OP_WRITE);
                return;
            }
            if ((interest & SelectionKey.OP_WRITE) != 0) setInterest(interest & ~SelectionKey.OP_WRITE);
            finishWrite(null, fromEvent);
        }

        private void finishWrite(Throwable error, boolean fromEvent) {
            Consumer<Throwable> done = writeDone;
            writeData = null;
            writeDone = null;
            if (fromEvent) runCallback.accept(() -> done.accept(error));
            else defer(() -> done.accept(error));
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            writeData = null;
            writeDone = null;
            if (key != null) key.cancel();
            sockets.close(ch); // the fd goes at the next select, which deregisters the key
        }
    }

    // ------------------------------------------------------------------ helpers

    private static boolean remaining(ByteBuffer[] data) {
        for (ByteBuffer b : data) if (b.hasRemaining()) return true;
        return false;
    }
}
