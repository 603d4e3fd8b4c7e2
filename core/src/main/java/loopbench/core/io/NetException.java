package loopbench.core.io;

/**
 * Why a TCP operation failed: the reason a connect, read or write promise rejects with. It is
 * unchecked so that {@code await} rethrows it as it is. {@link #code()} names the failure the way
 * Node does ({@code ECONNREFUSED}, {@code ECONNRESET}, {@code EPIPE}) or, for this library's own
 * rules, an {@code ERR_} code; the message says what happened and to whom (host:port, byte counts,
 * the limit, the timeout).
 */
public class NetException extends RuntimeException {
    /** Nothing listens on the address connected to. */
    public static final String ECONNREFUSED = "ECONNREFUSED";
    /** The peer reset the connection. */
    public static final String ECONNRESET = "ECONNRESET";
    /** Writing to a connection the peer has closed. */
    public static final String EPIPE = "EPIPE";
    /** The address to listen on is taken. */
    public static final String EADDRINUSE = "EADDRINUSE";
    /** The host name did not resolve. */
    public static final String ENOTFOUND = "ENOTFOUND";
    /** readFrame(timeoutMs): no complete frame arrived in time. The connection stays usable. */
    public static final String ERR_READ_TIMEOUT = "ERR_READ_TIMEOUT";
    /** connect: no connection within TcpOptions.connectTimeoutMillis (e.g. the SYN went unanswered). */
    public static final String ERR_CONNECT_TIMEOUT = "ERR_CONNECT_TIMEOUT";
    /** A frame's length prefix is above the connection's maxFrameBytes. The connection is closed. */
    public static final String ERR_FRAME_TOO_LARGE = "ERR_FRAME_TOO_LARGE";
    /** A frame's length prefix is negative. The connection is closed. */
    public static final String ERR_FRAME_MALFORMED = "ERR_FRAME_MALFORMED";
    /** The peer closed the connection in the middle of a frame. */
    public static final String ERR_PEER_CLOSED_MID_FRAME = "ERR_PEER_CLOSED_MID_FRAME";
    /** The peer closed the connection cleanly between frames: there are no more frames to read. */
    public static final String ERR_END_OF_STREAM = "ERR_END_OF_STREAM";
    /** The connection was closed (locally, or after an earlier error) before or during the operation. */
    public static final String ERR_SOCKET_CLOSED = "ERR_SOCKET_CLOSED";
    /** The runtime could not start the blocking call (threadpool exhausted or shut down). */
    public static final String ERR_NOT_STARTED = "ERR_NOT_STARTED";
    /** Any other I/O failure; the cause says which. */
    public static final String ERR_IO = "ERR_IO";

    private final String code;

    public NetException(String code, String message) {
        this(code, message, null);
    }

    public NetException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** ECONNREFUSED, ERR_READ_TIMEOUT, ... (the constants of this class). */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return "NetException[" + code + "]: " + getMessage();
    }
}
