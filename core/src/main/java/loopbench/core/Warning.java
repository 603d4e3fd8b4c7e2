package loopbench.core;

/**
 * A process warning, as {@code process.emitWarning(message, type)} makes one: an error whose name is
 * the warning's type, so that {@code String(w)} is {@code Type: message}. The loop never throws one;
 * {@link EventLoop#emitWarning} delivers it to the {@link EventLoop#onWarning} hook on the next tick.
 * The ones the loop itself emits: {@code TimeoutOverflowWarning} (a delay above 2^31-1),
 * {@code PromiseRejectionHandledWarning} (a handler added to a reported rejection, with no
 * {@code 'rejectionHandled'} hook) and the emitters' {@link EventEmitter.MaxListenersExceededWarning}.
 */
public class Warning extends RuntimeException {
    private final String name;

    public Warning(String name, String message) {
        super(message, null, false, false);
        this.name = name;
    }

    /** The warning's type, e.g. {@code TimeoutOverflowWarning}. */
    public String name() {
        return name;
    }

    /** {@code String(warning)}: {@code Type: message}. */
    @Override
    public String toString() {
        return name + ": " + getMessage();
    }
}
