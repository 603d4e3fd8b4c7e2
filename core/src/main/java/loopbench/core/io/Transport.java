package loopbench.core.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What a runtime supplies for I/O: moving bytes, and how the poll phase waits for them (Netty's
 * {@code IoHandler}). Framing, errors, promises and events are {@link NetCore}'s, once for every
 * runtime. The loop builds its transport from a factory given a {@link Host}, and calls it from its
 * owner, except {@link #wakeup} and {@link #shutdown}. Every callback a transport makes
 * (connect/write completions, the sinks) must run on the loop as a poll-phase I/O callback, one
 * callback scope each ({@link Host#runCallback} or a {@link Host#blockingCalls} completion), and
 * never synchronously inside the call that asked for it.
 *
 * <p>The poll-phase methods have defaults for a transport whose sockets block on other threads
 * (their completions come back as posted callbacks): nothing to dispatch, and the loop parks.
 */
public interface Transport {
    /** What the loop lends the transport it builds. */
    interface Host {
        /** Runs one I/O callback in its own callback scope (the callback, then its drain). */
        void runCallback(Runnable callback);

        /** Whether the loop must stop (its close was requested, or an error was fatal): dispatch ends. */
        boolean stopping();

        /** Where blocking calls run; their completions run in the poll phase (libuv requests). */
        BlockingCalls blockingCalls();
    }

    /** The poll phase: dispatches the I/O events that are ready, each through {@link Host#runCallback}. */
    default void poll() {}

    /**
     * The poll phase's sleep: waits up to {@code nanos} ({@code Long.MAX_VALUE}: no limit) for I/O
     * or {@link #wakeup}. Returns false if this transport has nothing to wait in; the loop parks.
     */
    default boolean await(long nanos) {
        return false;
    }

    /** Ends an {@link #await} from another thread. Returns false if it has nothing to wake; the loop unparks. */
    default boolean wakeup() {
        return false;
    }

    /** The loop's phases have ended for this run(): finish whatever closing the transport deferred. */
    default void runEnded() {}

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

    /**
     * The loop has stopped: close every socket this transport opened, and return once no call in
     * flight can still open one, or at {@code deadlineNanos} ({@link System#nanoTime}), whichever
     * comes first. The loop interrupts its threads after this returns. Any thread; idempotent.
     */
    void shutdown(long deadlineNanos);

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
