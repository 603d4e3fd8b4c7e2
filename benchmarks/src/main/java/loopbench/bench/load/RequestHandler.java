package loopbench.bench.load;

import loopbench.bench.backend.BackendCalls;
import loopbench.core.EventLoop;
import loopbench.core.Promise;

/**
 * The request handler, written once against the {@link EventLoop} API: CPU work (inline on the loop
 * or offloaded), then the load's backend calls one after another, through the loop's
 * {@link BackendCalls} (a timer each, or a frame to the delay backend over the loop's TCP
 * connections: see {@link loopbench.bench.backend.BackendConfig}). On a runtime that can block in
 * {@code await} (loom, threadpool) it is an async function in blocking style; on the loop runtime
 * the same steps are a promise chain. Either way the returned promise settles when the request is
 * done, rejected if a backend call failed.
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
        return handle(loop, r.backend, r.heavy);
    }

    /** Starts handling a request on {@code loop} (its owner thread), its backend calls going to {@code backend}, the loop's. */
    public Promise<?> handle(EventLoop loop, BackendCalls backend, boolean heavy) {
        int cpu = heavy ? spec.heavyCpuMicros() : spec.lightCpuMicros();
        boolean offload = heavy ? spec.offloadHeavy() : spec.offloadLight();
        int calls = spec.backendCalls();
        int delay = spec.backendDelayMs();
        if (loop.canAwait()) {
            return loop.async(() -> {
                if (offload) loop.await(loop.offload(() -> burn(cpu)));
                else BusyWork.burn(cpu);
                for (int i = 0; i < calls; i++) loop.await(backend.call(delay));
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
        for (int i = 0; i < calls; i++) p = p.thenCompose(ignored -> backend.call(delay));
        return p;
    }

    private static Object burn(int micros) {
        BusyWork.burn(micros);
        return null;
    }
}
