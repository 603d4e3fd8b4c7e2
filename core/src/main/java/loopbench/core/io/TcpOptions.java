package loopbench.core.io;

/**
 * How a connection (or every connection a server accepts) behaves.
 *
 * @param maxFrameBytes        the largest frame payload {@code readFrame} accepts and {@code writeFrame}
 *                             sends; a larger (or negative) length prefix is an error that closes the
 *                             connection. Default 16 MiB.
 * @param backlog              listen(): the accept queue length asked of the kernel (Node's default, 511)
 * @param noDelay              TCP_NODELAY: send small frames at once instead of waiting for an ACK
 *                             (Nagle off; the default, since request/response framing suffers from Nagle)
 * @param connectTimeoutMillis connect(): how long the name lookup and the TCP handshake together may
 *                             take before the promise rejects with {@link NetException#ERR_CONNECT_TIMEOUT}
 *                             and the attempt is abandoned; 0 waits as long as the kernel does (about
 *                             2 min on Linux for a dropped SYN). Default 10 s.
 */
public record TcpOptions(int maxFrameBytes, int backlog, boolean noDelay, int connectTimeoutMillis) {
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
    public static final TcpOptions DEFAULTS =
            new TcpOptions(DEFAULT_MAX_FRAME_BYTES, 511, true, DEFAULT_CONNECT_TIMEOUT_MILLIS);

    public TcpOptions {
        if (maxFrameBytes < 0) throw new IllegalArgumentException("maxFrameBytes must be >= 0, was " + maxFrameBytes);
        if (backlog < 1) throw new IllegalArgumentException("backlog must be >= 1, was " + backlog);
        if (connectTimeoutMillis < 0) {
            throw new IllegalArgumentException(
                    "connectTimeoutMillis must be >= 0 (0: no limit), was " + connectTimeoutMillis);
        }
    }

    public TcpOptions withMaxFrameBytes(int n) {
        return new TcpOptions(n, backlog, noDelay, connectTimeoutMillis);
    }

    public TcpOptions withBacklog(int n) {
        return new TcpOptions(maxFrameBytes, n, noDelay, connectTimeoutMillis);
    }

    public TcpOptions withNoDelay(boolean on) {
        return new TcpOptions(maxFrameBytes, backlog, on, connectTimeoutMillis);
    }

    public TcpOptions withConnectTimeoutMillis(int ms) {
        return new TcpOptions(maxFrameBytes, backlog, noDelay, ms);
    }
}
