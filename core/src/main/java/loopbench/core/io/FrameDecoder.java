package loopbench.core.io;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts a byte stream into frames ({@link Frames}). Bytes are appended as they arrive, in chunks
 * of any size; {@link #next} returns each complete payload once. A bad length prefix is refused
 * as soon as its 4 bytes are in, without waiting for (or buffering) the payload it announces.
 *
 * <p>Invariants: {@code buf[start, end)} holds the bytes not yet returned; the buffer grows to at
 * most one frame plus one chunk, and is compacted before it grows.
 */
public final class FrameDecoder {
    private static final byte[] EMPTY = new byte[0];

    private final String source;
    private int maxFrameBytes;
    private byte[] buf = new byte[1024];
    private int start, end;

    /** {@code source} names the peer in error messages ("127.0.0.1:5000"). */
    public FrameDecoder(String source, int maxFrameBytes) {
        this.source = source;
        this.maxFrameBytes = maxFrameBytes;
    }

    public void setMaxFrameBytes(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Appends everything remaining in {@code src} (which is consumed). */
    public void append(ByteBuffer src) {
        int n = src.remaining();
        ensure(n);
        src.get(buf, end, n);
        end += n;
    }

    public void append(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, end, len);
        end += len;
    }

    private void ensure(int n) {
        if (buf.length - end >= n) return;
        int live = end - start;
        if (start > 0 && buf.length - live >= n) {
            System.arraycopy(buf, start, buf, 0, live);
        } else {
            long want = Math.max((long) buf.length * 2, (long) live + n);
            if (want > Integer.MAX_VALUE - 16) want = (long) live + n;
            byte[] bigger = new byte[(int) want];
            System.arraycopy(buf, start, bigger, 0, live);
            buf = bigger;
        }
        start = 0;
        end = live;
    }

    /**
     * The next complete payload, or {@code null} if it has not all arrived. Throws the
     * {@link NetException} of {@link Frames#checkLength} for a bad length prefix.
     */
    public byte[] next() {
        int live = end - start;
        if (live < Frames.HEADER_BYTES) return null;
        int len = Frames.checkLength(lengthAt(start), maxFrameBytes, source);
        if (live - Frames.HEADER_BYTES < len) return null;
        int from = start + Frames.HEADER_BYTES;
        byte[] payload = len == 0 ? EMPTY : Arrays.copyOfRange(buf, from, from + len);
        start = from + len;
        if (start == end) start = end = 0;
        return payload;
    }

    private int lengthAt(int i) {
        return (buf[i] & 0xff) << 24 | (buf[i + 1] & 0xff) << 16 | (buf[i + 2] & 0xff) << 8 | (buf[i + 3] & 0xff);
    }

    /** Bytes received and not yet returned as a frame. */
    public int buffered() {
        return end - start;
    }

    /** How far the frame in progress got: "3 of 4 length-prefix bytes", "10 of 64 payload bytes". */
    public String progress() {
        int live = end - start;
        if (live < Frames.HEADER_BYTES) return live + " of " + Frames.HEADER_BYTES + " length-prefix bytes";
        return (live - Frames.HEADER_BYTES) + " of " + lengthAt(start) + " payload bytes";
    }
}
