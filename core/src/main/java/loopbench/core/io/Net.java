package loopbench.core.io;

import loopbench.core.Promise;

/**
 * Node's {@code net} module for one loop ({@code loop.net()}), speaking length-prefixed frames
 * ({@link Frames}) over TCP. The same contract on every runtime; they differ only in the transport
 * under it: the {@code loop} runtime polls non-blocking sockets with a selector in its poll phase,
 * {@code loom} and {@code threadpool} make plain blocking socket calls on their offload threads.
 *
 * <p>Every completion (connect, read, write, accept) runs on the loop as a poll-phase I/O
 * callback, so inside one {@code setImmediate} runs before {@code setTimeout(0)}. Open servers and
 * connections keep the loop alive until closed. Every call here must come from the loop's owner.
 */
public interface Net {
    /**
     * {@code net.connect(port, host)}: the promise resolves with the open connection, or rejects
     * (ECONNREFUSED names host:port; ERR_CONNECT_TIMEOUT after {@link TcpOptions#connectTimeoutMillis}, 10 s by default).
     */
    default Promise<Connection> connect(String host, int port) {
        return connect(host, port, TcpOptions.DEFAULTS);
    }

    Promise<Connection> connect(String host, int port, TcpOptions options);

    /** {@code net.createServer().listen(port, '127.0.0.1')}: port 0 takes an ephemeral port ({@link TcpServer#port()}). */
    default TcpServer listen(int port) {
        return listen("127.0.0.1", port, TcpOptions.DEFAULTS);
    }

    default TcpServer listen(int port, TcpOptions options) {
        return listen("127.0.0.1", port, options);
    }

    /**
     * Binds and listens now (bind is synchronous, as in Node for a numeric address): a taken port
     * throws a {@link NetException} (EADDRINUSE) at once.
     */
    TcpServer listen(String host, int port, TcpOptions options);

    /** Connections and servers open right now (for tests and metrics). */
    int openHandles();
}
