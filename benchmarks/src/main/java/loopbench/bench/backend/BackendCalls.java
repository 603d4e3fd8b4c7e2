package loopbench.bench.backend;

import loopbench.core.Promise;

/**
 * Where one loop's backend calls go: made once per loop when it starts ({@link BackendConfig#open}),
 * used by that loop's request handlers, on the loop's owner only. A call's promise fulfils when the
 * backend has answered after the delay asked for, or rejects with a {@link loopbench.core.io.NetException}
 * that says what failed.
 */
public interface BackendCalls {
    /** One backend call that takes {@code delayMs} on the backend's side. */
    Promise<Object> call(int delayMs);

    /** Fulfils when the calls can start (tcp: every connection is open); rejects, saying why, if they cannot. */
    Promise<Object> start();

    /**
     * Refuses new calls and releases what it holds (tcp: closes the connections) once the calls in flight
     * have settled, so that a loop draining its last requests is not cut short. Idempotent.
     */
    void closeWhenIdle();

    /** Calls that were rejected (connection failures, no open connection). Read after the loop ended. */
    long failedCalls();

    /** Connections that failed after they were open, or could not be opened. Read after the loop ended. */
    long connectionFailures();

    /** The first connection failure's message, or null if none failed. Read after the loop ended. */
    String firstFailure();
}
