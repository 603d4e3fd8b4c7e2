package loopbench.core.io;

import loopbench.core.EventEmitter;
import loopbench.core.Promise;

/**
 * One TCP connection, Node's {@code net.Socket} with length-prefixed framing on top. Every method
 * must be called by the loop's owner; every promise settles on the loop, in the poll phase.
 *
 * <p>Reading is on demand: bytes are read only while a {@link #readFrame} waits (or in flowing
 * mode, after {@link #resume}), so an idle connection costs the blocking runtimes no thread.
 * Writes are queued and go out in call order, one at a time.
 *
 * <p>Events ({@link #events()}), as a net.Socket's: {@code "data"} (byte[]: each chunk as read),
 * {@code "frame"} (byte[]: a frame no readFrame was waiting for, in flowing mode), {@code "end"}
 * (the peer closed its side), {@code "error"} (the NetException that closed the connection; emitted
 * only if a listener is registered, since the failed promises carry it already), {@code "close"}
 * (Boolean: whether an error closed it; emitted in a nextTick after the connection closed).
 *
 * <p>Errors close the connection, except a read timeout: after {@code ERR_READ_TIMEOUT} the bytes
 * of a partly received frame stay buffered and the next readFrame goes on from them.
 */
public interface Connection {
    /** Writes raw bytes (no framing). Do not modify {@code data} until the promise settles. */
    Promise<Void> write(byte[] data);

    /** Writes one frame: the 4-byte length of {@code payload}, then {@code payload}. */
    Promise<Void> writeFrame(byte[] payload);

    /** Reads the next frame's payload; waits as long as it takes. */
    default Promise<byte[]> readFrame() {
        return readFrame(0);
    }

    /**
     * Reads the next frame's payload, or rejects with ERR_READ_TIMEOUT after {@code timeoutMs}
     * (0: no timeout). Rejections: ERR_FRAME_TOO_LARGE / ERR_FRAME_MALFORMED (the length and the
     * limit), ERR_PEER_CLOSED_MID_FRAME (how many bytes of how many), ERR_END_OF_STREAM (the peer
     * closed between frames), ERR_SOCKET_CLOSED, ECONNRESET.
     */
    Promise<byte[]> readFrame(long timeoutMs);

    /** Flowing mode: read continuously and emit each frame no readFrame is waiting for as {@code "frame"}. */
    Connection resume();

    /** Leaves flowing mode: frames wait in the buffer for readFrame. */
    Connection pause();

    /**
     * Destroys the connection now (Node's {@code socket.destroy()}): the socket is closed, waiting
     * reads and queued writes reject with ERR_SOCKET_CLOSED, {@code "close"} follows. Idempotent.
     */
    void close();

    boolean isOpen();

    /** The connection's events (see the class comment). */
    EventEmitter events();

    /** The peer, "host:port". */
    String remoteAddress();

    int remotePort();

    int localPort();

    int maxFrameBytes();

    /** Changes the largest frame this connection reads and writes. */
    Connection setMaxFrameBytes(int maxFrameBytes);

    long bytesRead();

    long bytesWritten();
}
