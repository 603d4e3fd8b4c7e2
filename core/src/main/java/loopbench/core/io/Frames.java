package loopbench.core.io;

import java.nio.ByteBuffer;

/**
 * The wire format, once for every runtime and for the delay backend: a frame is a 4-byte
 * big-endian signed length {@code n}, then {@code n} payload bytes. {@code 0 <= n <= maxFrameBytes};
 * anything else is refused with a {@link NetException} that says the length and the limit.
 */
public final class Frames {
    /** Bytes in a length prefix. */
    public static final int HEADER_BYTES = 4;

    private Frames() {}

    /** The length prefix of a payload of {@code length} bytes, ready to write. */
    public static ByteBuffer header(int length) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
        b.putInt(0, length);
        return b;
    }

    /** A whole frame in one array (prefix and payload). */
    public static byte[] encode(byte[] payload) {
        byte[] out = new byte[HEADER_BYTES + payload.length];
        ByteBuffer.wrap(out).putInt(payload.length).put(payload);
        return out;
    }

    /**
     * Checks a length prefix read from {@code source}: returns it, or throws the error a reader
     * reports (ERR_FRAME_MALFORMED for a negative length, ERR_FRAME_TOO_LARGE above the limit).
     */
    public static int checkLength(int length, int maxFrameBytes, String source) {
        if (length < 0) {
            throw new NetException(
                    NetException.ERR_FRAME_MALFORMED,
                    "malformed frame from " + source
                            + ": negative length prefix " + length + String.format(" (0x%08x)", length)
                            + "; a frame is a 4-byte big-endian length 0.." + maxFrameBytes + ", then the payload");
        }
        if (length > maxFrameBytes) {
            throw new NetException(
                    NetException.ERR_FRAME_TOO_LARGE,
                    "frame from " + source + " too large: length " + length + " bytes exceeds the limit of "
                            + maxFrameBytes + " bytes (maxFrameBytes)");
        }
        return length;
    }
}
