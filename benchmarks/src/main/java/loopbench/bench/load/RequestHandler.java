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
 *
 * <p>It also meters the request ({@link Request#serviceNanos}): its <em>service time</em> is the sum of
 * the stretches its code ran holding the loop, from where it starts or resumes to where it waits (an
 * offload, a backend call) or ends. Waiting for I/O or an offload is not service; the loop's own cost of
 * dispatching it (the submission, a token hand-off, the completion) is not either, and shows instead in
 * the loop's busy fraction ({@link loopbench.core.LoopStats#idleNanos}). Its CPU work is timed on the
 * thread that does it ({@link Request#workNanos}). That is two clock reads per stretch and two for the work.
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

    /** Starts handling a request on {@code loop} (its owner thread), its backend calls going to {@code backend}, the loop's. */
    public Promise<?> handle(EventLoop loop, BackendCalls backend, boolean heavy) {
        return handle(loop, backend, new Request(0, 0, heavy, this));
    }

    /** Starts handling {@code r} on {@code loop} (its owner thread); the promise settles when it is done. */
    Promise<?> handle(EventLoop loop, Request r) {
        return handle(loop, r.backend, r);
    }

    private Promise<?> handle(EventLoop loop, BackendCalls backend, Request r) {
        int cpu = r.heavy ? spec.heavyCpuMicros() : spec.lightCpuMicros();
        boolean offload = r.heavy ? spec.offloadHeavy() : spec.offloadLight();
        int calls = spec.backendCalls();
        int delay = spec.backendDelayMs();
        if (loop.canAwait()) {
            return loop.async(() -> {
                long t = System.nanoTime(); // the body holds the loop from here to each await
                if (offload) {
                    r.serviceNanos += System.nanoTime() - t;
                    loop.await(loop.offload(() -> work(cpu, r)));
                    t = System.nanoTime();
                } else {
                    work(cpu, r);
                }
                for (int i = 0; i < calls; i++) {
                    r.serviceNanos += System.nanoTime() - t;
                    loop.await(backend.call(delay));
                    t = System.nanoTime();
                }
                r.serviceNanos += System.nanoTime() - t;
                return null;
            });
        }
        long t = System.nanoTime();
        Promise<Object> p = offload ? loop.offload(() -> work(cpu, r)) : loop.resolved(work(cpu, r));
        for (int i = 0; i < calls; i++) {
            p = p.thenCompose(ignored -> {
                long s = System.nanoTime();
                Promise<Object> call = backend.call(delay);
                r.serviceNanos += System.nanoTime() - s;
                return call;
            });
        }
        r.serviceNanos += System.nanoTime() - t;
        return p;
    }

    /** The request's CPU work, timed on the thread that does it. */
    private static Object work(int micros, Request r) {
        long t = System.nanoTime();
        BusyWork.burn(micros);
        r.workNanos = System.nanoTime() - t;
        return null;
    }
}
