package loopbench.bench.load;

import loopbench.core.EventLoop;
import loopbench.core.Promise;

/**
 * The request handler, written once against the {@link EventLoop} API: CPU work (inline on the loop
 * or offloaded), then the load's backend calls one after another. On a runtime that can block in
 * {@code await} (loom, threadpool) it is an async function in blocking style; on the loop runtime
 * the same steps are a promise chain. Either way the returned promise settles when the request is done.
 */
public final class RequestHandler {
    private final LoadSpec spec;

    public RequestHandler(LoadSpec spec) {
        this.spec = spec;
        BusyWork.iterationsPerMicro(); // calibrate now, not inside the first request's callback
    }

    public LoadSpec spec() {
        return spec;
    }

    /** Starts handling a request on {@code loop} (its owner thread); the promise settles when it is done. */
    Promise<?> handle(EventLoop loop, Request r) {
        return handle(loop, r.heavy);
    }

    public Promise<?> handle(EventLoop loop, boolean heavy) {
        int cpu = heavy ? spec.heavyCpuMicros() : spec.lightCpuMicros();
        boolean offload = heavy ? spec.offloadHeavy() : spec.offloadLight();
        int calls = spec.backendCalls();
        int delay = spec.backendDelayMs();
        if (loop.canAwait()) {
            return loop.async(() -> {
                if (offload) loop.await(loop.offload(() -> burn(cpu)));
                else BusyWork.burn(cpu);
                for (int i = 0; i < calls; i++) loop.await(backendCall(loop, delay));
                return null;
            });
        }
        Promise<Object> p;
        if (offload) {
            p = loop.offload(() -> burn(cpu));
        } else {
            BusyWork.burn(cpu);
            p = loop.resolved(null);
        }
        for (int i = 0; i < calls; i++) p = p.thenCompose(ignored -> backendCall(loop, delay));
        return p;
    }

    private static Object burn(int micros) {
        BusyWork.burn(micros);
        return null;
    }

    /** A simulated backend call: a promise that resolves after {@code delayMs}, through a timer. */
    static Promise<Object> backendCall(EventLoop loop, int delayMs) {
        Promise.Resolvers<Object> d = loop.deferred();
        loop.setTimeout(() -> d.resolve(null), delayMs);
        return d.promise();
    }
}
