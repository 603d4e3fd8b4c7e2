package loopbench.core.io;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import loopbench.core.EventEmitter;
import loopbench.core.EventLoop;
import loopbench.core.Promise;
import loopbench.core.Timeout;

/**
 * A {@link Connection} over any {@link Transport.StreamChannel}: framing, the read and write
 * queues, timeouts, events and the error rules, once for every runtime.
 *
 * <p>Algorithm: reads are on demand. While a readFrame waits (or the connection flows) the channel
 * reads; each chunk is appended to the {@link FrameDecoder} and every complete frame goes to the
 * oldest waiting readFrame, else to a "frame" event. Writes go out one at a time in call order.
 *
 * <p>Invariants: while {@code reads} is not empty the decoder holds no complete frame; the channel
 * reads exactly while {@code reading}; once {@code closed}, every promise handed out has settled and
 * no callback of the channel has an effect.
 */
final class TcpConnection implements Connection, Transport.StreamSink {
    private final NetCore net;
    private final EventLoop loop;
    private final Transport.StreamChannel channel;
    private final TcpServerImpl server; // the server that accepted it, or null for a client connection
    private final EventEmitter events = new EventEmitter();
    private final String remote;
    private final int remotePort;
    private final int localPort;
    private final FrameDecoder decoder;
    private int maxFrameBytes;
    private final ArrayDeque<PendingRead> reads = new ArrayDeque<>();
    private final ArrayDeque<PendingWrite> writes = new ArrayDeque<>();
    private boolean writing, reading, flowing, ending, closed;
    private NetException closeReason; // why it closed; null: closed locally
    private long bytesRead, bytesWritten;

    private static final class PendingRead {
        final Promise.Resolvers<byte[]> r;
        final long timeoutMs;
        Timeout timer;

        PendingRead(Promise.Resolvers<byte[]> r, long timeoutMs) {
            this.r = r;
            this.timeoutMs = timeoutMs;
        }
    }

    private record PendingWrite(ByteBuffer[] data, long bytes, Promise.Resolvers<Void> r) {}

    TcpConnection(NetCore net, Transport.StreamChannel channel, TcpOptions options, TcpServerImpl server) {
        this.net = net;
        this.loop = net.loop;
        this.channel = channel;
        this.server = server;
        InetSocketAddress r = channel.remoteAddress();
        InetSocketAddress l = channel.localAddress();
        this.remote = r == null ? "(unknown peer)" : r.getHostString() + ":" + r.getPort();
        this.remotePort = r == null ? -1 : r.getPort();
        this.localPort = l == null ? -1 : l.getPort();
        this.maxFrameBytes = options.maxFrameBytes();
        this.decoder = new FrameDecoder(remote, maxFrameBytes);
        channel.setSink(this);
        net.opened(this);
    }

    // ------------------------------------------------------------------ reading

    @Override
    public Promise<byte[]> readFrame(long timeoutMs) {
        net.check("readFrame");
        if (timeoutMs < 0)
            throw new IllegalArgumentException("readFrame: timeoutMs must be >= 0 (0: none), was " + timeoutMs);
        if (closed) return loop.rejected(closedError("readFrame"));
        if (ending) return loop.rejected(closeReason); // the peer's end of stream; our side closes once writes are out
        if (reads.isEmpty()) {
            byte[] frame;
            try {
                frame = decoder.next();
            } catch (NetException e) {
                fail(e);
                return loop.rejected(e);
            }
            if (frame != null) return loop.resolved(frame);
        }
        PendingRead pr = new PendingRead(loop.deferred(), timeoutMs);
        if (timeoutMs > 0) pr.timer = loop.setTimeout(() -> timedOut(pr), timeoutMs);
        reads.add(pr);
        updateReading();
        return pr.r.promise();
    }

    private void timedOut(PendingRead pr) {
        if (!reads.remove(pr)) return;
        String state = channel.readState();
        pr.r.reject(new NetException(
                NetException.ERR_READ_TIMEOUT,
                "readFrame timed out after " + pr.timeoutMs
                        + " ms waiting for a frame from " + remote + " ("
                        + (decoder.buffered() == 0 ? "nothing received" : "received " + decoder.progress())
                        + (state.isEmpty() ? "" : "; " + state) + "); the connection stays open"));
        updateReading();
    }

    @Override
    public Connection resume() {
        net.check("resume");
        flowing = true;
        if (decoder.buffered() > 0)
            net.nextTick(this::deliver); // Node's resume() emits what is buffered later, not inside the call
        updateReading();
        return this;
    }

    @Override
    public Connection pause() {
        net.check("pause");
        flowing = false;
        updateReading();
        return this;
    }

    /** uv_read_start / uv_read_stop as the demand changes. */
    private void updateReading() {
        boolean want = !closed && !ending && (flowing || !reads.isEmpty());
        if (want && !reading) {
            reading = true;
            channel.readStart();
        } else if (!want && reading) {
            reading = false;
            if (!closed) channel.readStop();
        }
    }

    @Override
    public void onData(ByteBuffer data) {
        if (closed) return;
        int n = data.remaining();
        bytesRead += n;
        byte[] copy = null;
        if (events.listenerCount("data") > 0) {
            copy = new byte[n];
            data.duplicate().get(copy);
        }
        decoder.append(data);
        try {
            if (copy != null) events.emit("data", copy);
        } finally {
            deliver();
        }
    }

    /** Hands every complete frame to the oldest waiting readFrame, else (flowing) to a "frame" event. */
    private void deliver() {
        while (!closed && (flowing || !reads.isEmpty())) {
            byte[] frame;
            try {
                frame = decoder.next();
            } catch (NetException e) {
                fail(e);
                return;
            }
            if (frame == null) break;
            PendingRead pr = reads.poll();
            if (pr != null) {
                cancelTimer(pr);
                pr.r.resolve(frame);
            } else {
                events.emit("frame", frame);
            }
        }
        updateReading();
    }

    @Override
    public void onEnd() {
        if (closed || ending) return;
        if (decoder.buffered() > 0) {
            fail(new NetException(
                    NetException.ERR_PEER_CLOSED_MID_FRAME,
                    "peer " + remote + " closed the connection mid-frame: got " + decoder.progress()));
            return;
        }
        // Node's allowHalfOpen=false: 'end', then end our side once queued writes are out, then 'close'.
        NetException eos = new NetException(
                NetException.ERR_END_OF_STREAM,
                "peer " + remote + " closed the connection: no more frames (end of stream)");
        ending = true;
        closeReason = eos;
        reading = false;
        rejectReads(eos);
        if (!writing) destroy(eos, false);
        events.emit("end", null);
    }

    @Override
    public void onError(Throwable error) {
        if (closed) return;
        fail(NetCore.ioError("read from " + remote, error));
    }

    // ------------------------------------------------------------------ writing

    @Override
    public Promise<Void> write(byte[] data) {
        Objects.requireNonNull(data, "write: data is null");
        net.check("write");
        return enqueue("write", new ByteBuffer[] {ByteBuffer.wrap(data)}, data.length);
    }

    @Override
    public Promise<Void> writeFrame(byte[] payload) {
        Objects.requireNonNull(payload, "writeFrame: payload is null");
        net.check("writeFrame");
        if (payload.length > maxFrameBytes) {
            return loop.rejected(new NetException(
                    NetException.ERR_FRAME_TOO_LARGE,
                    "writeFrame to " + remote
                            + ": payload of " + payload.length + " bytes exceeds the limit of " + maxFrameBytes
                            + " bytes (maxFrameBytes); nothing was sent"));
        }
        return enqueue(
                "writeFrame",
                new ByteBuffer[] {Frames.header(payload.length), ByteBuffer.wrap(payload)},
                Frames.HEADER_BYTES + (long) payload.length);
    }

    private Promise<Void> enqueue(String what, ByteBuffer[] data, long bytes) {
        if (closed || ending) return loop.rejected(closedError(what));
        Promise.Resolvers<Void> r = loop.deferred();
        writes.add(new PendingWrite(data, bytes, r));
        if (!writing) startWrite();
        return r.promise();
    }

    private void startWrite() {
        PendingWrite pw = writes.peek();
        writing = true;
        channel.write(pw.data, error -> written(pw, error));
    }

    private void written(PendingWrite pw, Throwable error) {
        if (closed || writes.peek() != pw) return; // closed meanwhile: the write was already rejected
        writing = false;
        writes.poll();
        if (error != null) {
            NetException e = NetCore.ioError("write to " + remote, error);
            pw.r.reject(e);
            fail(e);
            return;
        }
        bytesWritten += pw.bytes;
        pw.r.resolve(null);
        if (!writes.isEmpty()) startWrite();
        else if (ending) destroy(closeReason, false);
    }

    // ------------------------------------------------------------------ closing

    @Override
    public void close() {
        net.check("close");
        destroy(null, false);
    }

    /** An error closes the connection: waiting reads reject with it, then 'error' and 'close'. */
    private void fail(NetException e) {
        rejectReads(e);
        destroy(e, true);
    }

    private void destroy(NetException reason, boolean isError) {
        if (closed) return;
        closed = true;
        closeReason = reason;
        reading = false;
        writing = false;
        channel.close();
        net.closed(this);
        rejectReads(reason != null ? reason : closedError("readFrame"));
        if (!writes.isEmpty()) {
            NetException why = closedError("write");
            for (PendingWrite pw : writes) pw.r.reject(why);
            writes.clear();
        }
        if (server != null) server.connectionClosed();
        net.nextTick(() -> {
            if (isError && events.listenerCount("error") > 0) events.emit("error", reason);
            events.emit("close", isError);
        });
    }

    private void rejectReads(NetException why) {
        PendingRead pr;
        while ((pr = reads.poll()) != null) {
            cancelTimer(pr);
            pr.r.reject(why);
        }
    }

    private void cancelTimer(PendingRead pr) {
        if (pr.timer != null) {
            loop.clearTimeout(pr.timer);
            pr.timer = null;
        }
    }

    private NetException closedError(String what) {
        String why = closeReason == null ? "it was closed locally" : closeReason.getMessage();
        return new NetException(
                NetException.ERR_SOCKET_CLOSED,
                what + " on a closed connection: the connection to " + remote + " is closed (" + why + ")",
                closeReason);
    }

    /** The loop is shutting down: close the socket, touch nothing of the loop's. */
    void closeForShutdown() {
        closed = true;
        channel.close();
    }

    // ------------------------------------------------------------------ accessors

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public EventEmitter events() {
        return events;
    }

    @Override
    public String remoteAddress() {
        return remote;
    }

    @Override
    public int remotePort() {
        return remotePort;
    }

    @Override
    public int localPort() {
        return localPort;
    }

    @Override
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    @Override
    public Connection setMaxFrameBytes(int maxFrameBytes) {
        if (maxFrameBytes < 0) throw new IllegalArgumentException("maxFrameBytes must be >= 0, was " + maxFrameBytes);
        this.maxFrameBytes = maxFrameBytes;
        decoder.setMaxFrameBytes(maxFrameBytes);
        return this;
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public String toString() {
        return "Connection[" + remote + (closed ? ", closed" : "") + "]";
    }
}
