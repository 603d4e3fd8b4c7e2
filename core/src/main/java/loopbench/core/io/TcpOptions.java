package loopbench.core.io;

/**
 * How a connection (or every connection a server accepts) behaves.
 *
 * @param maxFrameBytes the largest frame payload {@code readFrame} accepts and {@code writeFrame}
 *                      sends; a larger (or negative) length prefix is an error that closes the
 *                      connection. Default 16 MiB.
 * @param backlog       listen(): the accept queue length asked of the kernel (Node's default, 511)
 * @param noDelay       TCP_NODELAY: send small frames at once instead of waiting for an ACK
 *                      (Nagle off; the default, since request/response framing suffers from Nagle)
 */
public record TcpOptions(int maxFrameBytes, int backlog, boolean noDelay) {
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    public static final TcpOptions DEFAULTS = new TcpOptions(DEFAULT_MAX_FRAME_BYTES, 511, true);

    public TcpOptions {
        if (maxFrameBytes < 0) throw new IllegalArgumentException("maxFrameBytes must be >= 0, was " + maxFrameBytes);
        if (backlog < 1) throw new IllegalArgumentException("backlog must be >= 1, was " + backlog);
    }

    public TcpOptions withMaxFrameBytes(int n) {
        return new TcpOptions(n, backlog, noDelay);
    }

    public TcpOptions withBacklog(int n) {
        return new TcpOptions(maxFrameBytes, n, noDelay);
    }

    public TcpOptions withNoDelay(boolean on) {
        return new TcpOptions(maxFrameBytes, backlog, on);
    }
}
