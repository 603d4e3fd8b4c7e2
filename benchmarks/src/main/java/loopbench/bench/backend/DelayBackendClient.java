package loopbench.bench.backend;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import loopbench.core.EventLoop;
import loopbench.core.Promise;
import loopbench.core.io.Connection;
import loopbench.core.io.Frames;
import loopbench.core.io.NetException;

/**
 * One loop's client of a {@link DelayBackend}: a fixed set of connections ("pipes"), opened when the
 * loop starts ({@link #start}), over which backend calls are pipelined. Written once against
 * {@code loop.net()}, so it runs the same on every runtime; every method runs on the loop's owner.
 *
 * <p>Algorithm. A call takes the next pipe round robin, gives the call an id that is free on that
 * pipe (a slot of the pipe's table of waiting calls), and sends the frame {@code delayMicros,
 * responseBytes = 4, id}; DelayBackend echoes the id as the whole answer. Answers come back in order
 * of due time, not of sending, so each answer settles the call its id names. Writes are coalesced as
 * Node's net.Socket does with writev: while one write is in flight, further frames accumulate in the
 * pipe's staging buffer and go out together in one write when it completes. Reading is Node's flowing
 * mode: every answer frame arrives as a {@code "frame"} event.
 *
 * <p>Failures. A pipe fails when its connection errs, is closed by the backend, or receives an answer
 * for no call in flight: every call waiting on it is rejected with a {@link NetException} that names
 * the backend and the cause, and counted ({@link #failedCalls}, {@link #connectionFailures}); nothing
 * is dropped silently. A failed pipe reconnects when a call next passes it (at most every
 * {@value #RECONNECT_PAUSE_MS} ms); meanwhile calls go to the other pipes, and a call that finds no
 * pipe open is rejected at once.
 *
 * <p>Invariants: an id is in a pipe's table exactly while its call is in flight on the pipe's current
 * connection; {@code inFlight} is the sum over pipes of the calls in their tables; callbacks of a
 * connection that is no longer its pipe's current one have no effect.
 */
public final class DelayBackendClient implements BackendCalls {
    /** The answer asked for: exactly the echoed id. */
    static final int RESPONSE_BYTES = 4;
    /** Length prefix + delay + response size + id. */
    private static final int REQUEST_FRAME_BYTES = Frames.HEADER_BYTES + DelayBackend.REQUEST_HEADER_BYTES + 4;

    static final long RECONNECT_PAUSE_MS = 100;
    private static final int INITIAL_IDS = 64;

    private final EventLoop loop;
    private final String host;
    private final int port;
    private final String address;
    private final Pipe[] pipes;
    private int next; // round robin
    private int inFlight; // calls in flight over every pipe
    private boolean closing; // closeWhenIdle was called: new calls are refused
    private boolean closed;
    // counters: written by the owner, read by others after the loop ended
    private volatile long calls, failedCalls, connectionFailures, connects;
    private volatile String firstFailure;

    public DelayBackendClient(EventLoop loop, String host, int port, int connections) {
        if (connections < 1) throw new IllegalArgumentException("connections must be >= 1, was " + connections);
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.address = host + ":" + port;
        this.pipes = new Pipe[connections];
        for (int i = 0; i < connections; i++) pipes[i] = new Pipe(i);
    }

    /** One connection slot: its current connection, the calls waiting on it, and its outgoing bytes. */
    private final class Pipe {
        final int index;
        Connection conn; // null while down
        boolean connecting;
        long lastAttemptMs = Long.MIN_VALUE / 2;
        NetException lastError; // why it is down, or why it last failed
        NetException endReason; // the current connection's "error" or "end", for its "close"
        Promise.Resolvers<Object>[] waiting = newTable(INITIAL_IDS);
        int[] free = new int[INITIAL_IDS]; // stack of free ids
        int freeCount;
        ByteBuffer staged = ByteBuffer.allocate(REQUEST_FRAME_BYTES * 64);
        boolean writing;
        Promise.Settlement written; // the current connection's write completion (one per connection)

        Pipe(int index) {
            this.index = index;
            resetIds();
        }

        int take(Promise.Resolvers<Object> call) {
            if (freeCount == 0) {
                int old = waiting.length;
                waiting = Arrays.copyOf(waiting, old * 2);
                free = Arrays.copyOf(free, old * 2);
                for (int id = old * 2 - 1; id >= old; id--) free[freeCount++] = id;
            }
            int id = free[--freeCount];
            waiting[id] = call;
            return id;
        }

        void resetIds() {
            Arrays.fill(waiting, null);
            freeCount = 0;
            for (int id = waiting.length - 1; id >= 0; id--) free[freeCount++] = id;
        }

        String name() {
            return "connection " + (index + 1) + " of " + pipes.length + " to the delay backend at " + address;
        }
    }

    @SuppressWarnings("unchecked")
    private static Promise.Resolvers<Object>[] newTable(int n) {
        return (Promise.Resolvers<Object>[]) new Promise.Resolvers<?>[n];
    }

    // ------------------------------------------------------------------ opening

    /** Opens every connection; fulfils when all are open, rejects with the first failure (which names the backend). */
    @Override
    public Promise<Object> start() {
        List<Promise<Object>> opening = new ArrayList<>(pipes.length);
        for (Pipe p : pipes) opening.add(connect(p));
        return loop.all(opening).then(ignored -> null);
    }

    private Promise<Object> connect(Pipe p) {
        p.connecting = true;
        p.lastAttemptMs = loop.now();
        return loop.net()
                .connect(host, port)
                .then(
                        c -> {
                            p.connecting = false;
                            if (closing) {
                                c.close();
                                throw new NetException(
                                        NetException.ERR_SOCKET_CLOSED,
                                        p.name() + ": the client was closed while it connected");
                            }
                            attach(p, c);
                            return null;
                        },
                        e -> {
                            p.connecting = false;
                            connectionFailures++;
                            p.lastError = wrap("cannot open " + p.name(), e);
                            if (firstFailure == null) firstFailure = p.lastError.toString();
                            throw p.lastError;
                        });
    }

    private void attach(Pipe p, Connection c) {
        connects++;
        p.conn = c;
        p.lastError = null;
        p.endReason = null;
        p.writing = false;
        p.staged.clear();
        p.written = (value, rejected) -> written(p, c, value, rejected);
        c.events().on("frame", f -> answered(p, c, (byte[]) f));
        c.events().on("error", e -> p.endReason = wrap(p.name() + " failed", e));
        c.events()
                .on(
                        "end",
                        x -> p.endReason = new NetException(
                                NetException.ERR_END_OF_STREAM, p.name() + ": the backend closed the connection"));
        c.events().on("close", x -> {
            NetException why = p.endReason != null
                    ? p.endReason
                    : new NetException(NetException.ERR_SOCKET_CLOSED, p.name() + " was closed");
            fail(p, c, why);
        });
        c.resume();
    }

    // ------------------------------------------------------------------ calls

    @Override
    public Promise<Object> call(int delayMs) {
        calls++;
        if (closing)
            return refuse(new NetException(
                    NetException.ERR_SOCKET_CLOSED,
                    "backend call refused: the client of the delay backend at " + address + " is closed"));
        Pipe p = pick();
        if (p == null) return refuse(noPipe());
        Promise.Resolvers<Object> call = loop.deferred();
        int id = p.take(call);
        inFlight++;
        ByteBuffer out = p.staged;
        if (out.remaining() < REQUEST_FRAME_BYTES) out = p.staged = grow(out);
        out.putInt(DelayBackend.REQUEST_HEADER_BYTES + 4)
                .putInt((int) Math.min(Integer.MAX_VALUE, delayMs * 1000L))
                .putInt(RESPONSE_BYTES)
                .putInt(id);
        if (!p.writing) flush(p);
        return call.promise();
    }

    /** The next open pipe round robin; a down pipe passed on the way starts reconnecting (paced). */
    private Pipe pick() {
        for (int tried = 0; tried < pipes.length; tried++) {
            Pipe p = pipes[next];
            next = next + 1 == pipes.length ? 0 : next + 1;
            if (p.conn != null) {
                if (p.conn.isOpen()) return p;
                continue; // closed, its "close" event (which fails the pipe) not yet delivered
            }
            if (!p.connecting && loop.now() - p.lastAttemptMs >= RECONNECT_PAUSE_MS) {
                connect(p).whenSettled((v, rejected) -> {}); // counted and kept in lastError; no one waits for it
            }
        }
        return null;
    }

    private Promise<Object> refuse(NetException why) {
        failedCalls++;
        return loop.rejected(why);
    }

    private NetException noPipe() {
        NetException last = null;
        for (Pipe p : pipes) if (p.lastError != null) last = p.lastError;
        String code = last != null ? last.code() : NetException.ERR_SOCKET_CLOSED;
        return new NetException(
                code,
                "backend call failed: no open connection to the delay backend at " + address + " (all " + pipes.length
                        + " are down" + (last != null ? "; last error: " + last.getMessage() : "") + ")",
                last);
    }

    private static ByteBuffer grow(ByteBuffer b) {
        ByteBuffer bigger = ByteBuffer.allocate(b.capacity() * 2);
        return bigger.put(b.flip());
    }

    /** Sends everything staged as one write; the next flush happens when it completes. */
    private void flush(Pipe p) {
        ByteBuffer out = p.staged;
        if (out.position() == 0) return;
        byte[] data = Arrays.copyOf(out.array(), out.position()); // the connection owns it until the write settles
        out.clear();
        p.writing = true;
        p.conn.write(data).whenSettled(p.written);
    }

    private void written(Pipe p, Connection c, Object value, boolean rejected) {
        if (p.conn != c) return; // a connection that already failed
        p.writing = false;
        if (rejected) fail(p, c, wrap("write on " + p.name() + " failed", value));
        else flush(p);
    }

    private void answered(Pipe p, Connection c, byte[] answer) {
        if (p.conn != c) return;
        int id = answer.length >= 4
                ? (answer[0] & 0xff) << 24 | (answer[1] & 0xff) << 16 | (answer[2] & 0xff) << 8 | answer[3] & 0xff
                : -1;
        Promise.Resolvers<Object> call = id >= 0 && id < p.waiting.length ? p.waiting[id] : null;
        if (call == null) {
            NetException e = new NetException(
                    NetException.ERR_FRAME_MALFORMED,
                    p.name() + ": an answer of " + answer.length + " bytes (id " + id
                            + ") matches no call in flight; the connection is closed");
            fail(p, c, e);
            return;
        }
        p.waiting[id] = null;
        p.free[p.freeCount++] = id;
        inFlight--;
        call.resolve(null);
        if (closing && inFlight == 0) closeNow();
    }

    /** The pipe's connection is gone: reject each call waiting on it (counted), close it, and mark the pipe down. */
    private void fail(Pipe p, Connection c, NetException why) {
        if (p.conn != c) return; // already failed, or a connection replaced since
        p.conn = null;
        p.lastError = why;
        p.writing = false;
        p.staged.clear();
        connectionFailures++;
        if (firstFailure == null) firstFailure = why.toString();
        int rejected = 0;
        NetException reason = null;
        for (Promise.Resolvers<Object> call : p.waiting) {
            if (call == null) continue;
            if (reason == null) {
                reason = new NetException(
                        why.code(), "backend call failed: " + why.getMessage() + " while the call was in flight", why);
            }
            call.reject(reason);
            rejected++;
        }
        p.resetIds();
        inFlight -= rejected;
        failedCalls += rejected;
        c.close();
        if (closing && inFlight == 0) closeNow();
    }

    private static NetException wrap(String what, Object error) {
        if (error instanceof NetException n) return new NetException(n.code(), what + ": " + n.getMessage(), n);
        Throwable cause = error instanceof Throwable t ? t : null;
        return new NetException(NetException.ERR_IO, what + ": " + error, cause);
    }

    // ------------------------------------------------------------------ closing

    @Override
    public void closeWhenIdle() {
        closing = true;
        if (inFlight == 0) closeNow();
    }

    private void closeNow() {
        if (closed) return;
        closed = true;
        for (Pipe p : pipes) {
            Connection c = p.conn;
            if (c == null) continue;
            p.conn = null; // its "close" event finds the pipe no longer its own
            c.close();
        }
    }

    /** Calls in flight right now (owner only). */
    public int inFlight() {
        return inFlight;
    }

    /** Calls made, including refused ones. */
    public long calls() {
        return calls;
    }

    @Override
    public long failedCalls() {
        return failedCalls;
    }

    @Override
    public long connectionFailures() {
        return connectionFailures;
    }

    @Override
    public String firstFailure() {
        return firstFailure;
    }

    /** Connections opened (the first ones and reconnections). */
    public long connects() {
        return connects;
    }

    @Override
    public String toString() {
        return "DelayBackendClient[" + address + ", " + pipes.length + " connections, " + inFlight + " in flight]";
    }
}
