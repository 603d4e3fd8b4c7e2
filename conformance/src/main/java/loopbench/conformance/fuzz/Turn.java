package loopbench.conformance.fuzz;

/**
 * The macrotask turn a block runs in (a callback and the ticks and microtasks it drains), for
 * the one race the generator avoids by construction: a timer under {@link ScenarioGenerator#MARGIN_MS} against
 * {@code setImmediate} when both are scheduled from main or from an immediate. With 0 or 1 ms
 * Node itself goes either way (about 1 in 3 runs the other way on these machines), often
 * without the oracle's 3 runs and perturbed run noticing; with 5 ms the order hangs on how
 * long the rest of the turn takes, which a cold JVM can make longer. Inside a timer or io
 * callback the order is fixed (the immediate first), so there both may be used.
 */
final class Turn {
    /** Main, an immediate, or unknown (a handler or listener may run in any turn). */
    final boolean racy;
    /** An io callback's turn. */
    final boolean io;

    /**
     * An immediate, or what acts as one: a throw, since Node's uncaughtException handling ends with
     * setImmediate(noop) (lib/internal/process/execution.js), and takes Node over a millisecond
     * where a JVM takes less (fuzz seed 7100979: a 1 ms timer from main against a nextTick's throw).
     */
    boolean immediate;

    boolean shortTimer;
    /**
     * A delay above TIMEOUT_MAX: Node's first TimeoutOverflowWarning takes it several milliseconds, so
     * short timers of the turn come due together there, one after the other on a JVM (fuzz seed
     * 7100165: a 2^31 ms interval's three runs against a 5 ms timer, all set in main).
     */
    boolean overflow;

    Turn(boolean racy, boolean io) {
        this.racy = racy;
        this.io = io;
    }
}
