package loopbench.core;

/**
 * The loop was closed: thrown by calls made after {@code close()} and by awaits that close() cancelled.
 *
 * <p>It is not a JavaScript exception. In Node an async function parked in an {@code await} when the
 * process ends never resumes, so no {@code catch} or {@code finally} of it runs; here close() must
 * resume the body's thread to end it, and this exception is how it unwinds. Code that interprets
 * JavaScript on a loop (the scenario runner's {@code try}) lets it pass untouched, and the body's
 * promise stays pending whatever the body does while it unwinds.
 */
public final class LoopClosedException extends IllegalStateException {
    public LoopClosedException(String message) {
        super(message);
    }
}
