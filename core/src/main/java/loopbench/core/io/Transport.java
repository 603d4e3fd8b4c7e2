package loopbench.core.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What a runtime supplies for TCP: moving bytes. Framing, errors, promises and events are
 * {@link NetCore}'s, once for every runtime. All methods are called by the loop's owner, except
 * {@link #shutdown}. Every callback a transport makes (connect/write completions, the sinks) must
 * run on the loop as a poll-phase I/O callback, one callback scope each, and never synchronously
 * inside the call that asked for it.
 */
public interface Transport {
    /**
     * Opens a connection; {@code done(channel, null)} or {@code done(null, error)}, once. Returns
     * what abandons the attempt (the connect timeout): it closes the socket being connected, and
     * {@code done} still runs once, later, as with any other failure.
     */
    Runnable connect(InetSocketAddress address, TcpOptions options, BiConsumer<StreamChannel, Throwable> done);

    /** Binds and listens now; accepted channels go to {@code sink}, each in its own callback. */
    ListenChannel listen(InetSocketAddress address, TcpOptions options, AcceptSink sink) throws IOException;

    /** Whether completions are queued that the loop must stay alive for (a libuv pending queue). */
    default boolean hasPendingWork() {
        return false;
    }

    /** The loop has stopped: close every socket this transport opened. Any thread; idempotent. */
    void shutdown();

    /** A listening socket. */
    interface ListenChannel {
        int port();

        void close();
    }

    interface AcceptSink {
        void onAccept(StreamChannel channel);

        /** Accepting failed (the transport keeps trying while the socket is open). */
        void onError(Throwable error);
    }

    /** One connected socket: libuv's uv_stream_t (read start/stop, queued writes, close). */
    interface StreamChannel {
        /** Where read results go; set once, before the first {@link #readStart}. */
        void setSink(StreamSink sink);

        /** Deliver data until {@link #readStop}; each read result is one sink call. */
        void readStart();

        /** Stop reading (a blocking read already under way still delivers its result). */
        void readStop();

        /**
         * Writes every remaining byte of {@code data}, in order; {@code done(null)} or
         * {@code done(error)} once. The caller keeps at most one write in flight.
         */
        void write(ByteBuffer[] data, Consumer<Throwable> done);

        /** Closes the socket; no sink call or completion of this channel matters afterwards. Idempotent. */
        void close();

        InetSocketAddress localAddress();

        InetSocketAddress remoteAddress();

        /** A hint for a read-timeout message: what the read is doing ("", or e.g. "waiting for a thread"). */
        default String readState() {
            return "";
        }
    }

    interface StreamSink {
        /** Bytes read; {@code data} is valid only during the call. */
        void onData(ByteBuffer data);

        /** The peer closed its side (EOF). */
        void onEnd();

        /** Reading failed. */
        void onError(Throwable error);
    }
}
