package loopbench.core;

/** The loop was closed: thrown by calls made after {@code close()} and by awaits that close() cancelled. */
public final class LoopClosedException extends IllegalStateException {
    public LoopClosedException(String message) {
        super(message);
    }
}
