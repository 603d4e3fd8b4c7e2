package loopbench.bench.backend;

import loopbench.core.EventLoop;
import loopbench.core.Promise;

/**
 * A simulated backend: each call is a promise that a timer resolves after {@code delayMs}. No
 * sockets, nothing to open or close, nothing that can fail: it isolates the runtime's own cost of
 * waiting (a pending timer and a promise per call) from the cost of real I/O.
 */
public final class SimulatedBackend implements BackendCalls {
    private final EventLoop loop;

    public SimulatedBackend(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public Promise<Object> call(int delayMs) {
        Promise.Resolvers<Object> d = loop.deferred();
        loop.setTimeout(() -> d.resolve(null), delayMs);
        return d.promise();
    }

    @Override
    public Promise<Object> start() {
        return loop.resolved(null);
    }

    @Override
    public void closeWhenIdle() {
        // nothing held
    }

    @Override
    public long failedCalls() {
        return 0;
    }

    @Override
    public long connectionFailures() {
        return 0;
    }

    @Override
    public String firstFailure() {
        return null;
    }
}
