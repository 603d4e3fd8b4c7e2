package loopbench.core.io;

import java.util.function.Consumer;
import loopbench.core.EventEmitter;

/**
 * A listening socket, Node's {@code net.Server}. Each accepted connection is emitted as
 * {@code "connection"} in its own poll-phase I/O callback; {@code "error"} (accept failures, only
 * if a listener is registered) and {@code "close"} (once closed and every connection it accepted
 * has closed, in a nextTick, as Node's) complete the events. Owner-only, like everything on a loop.
 */
public interface TcpServer {
    /** The bound port (the ephemeral one when listen was given 0). */
    int port();

    /** Adds a {@code "connection"} listener. */
    TcpServer onConnection(Consumer<Connection> handler);

    EventEmitter events();

    /** Connections accepted and still open. */
    int connections();

    /** Stops listening now; accepted connections stay open. Idempotent. */
    void close();

    boolean isListening();
}
