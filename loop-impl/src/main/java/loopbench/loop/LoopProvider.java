package loopbench.loop;

import loopbench.core.CapacityBound;
import loopbench.core.EventLoop;
import loopbench.core.EventLoopProvider;
import loopbench.core.LoopOptions;

public final class LoopProvider implements EventLoopProvider {
    @Override
    public String name() {
        return "loop";
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public String description() {
        return "one dedicated platform thread per loop (Node/libuv); blocking work on a fixed worker pool; no await";
    }

    @Override
    public boolean canAwait() {
        return false;
    }

    @Override
    public boolean supportsLoopPerRequest() {
        // every loop starts its own platform thread and worker pool: too dear per request
        return false;
    }

    @Override
    public EventLoop create(LoopOptions options) {
        return new SingleThreadEventLoop(options);
    }

    /**
     * libuv's model: each loop's thread runs its callbacks one at a time, and offloaded work runs on
     * each loop's fixed worker pool ({@link LoopOptions#workerThreads}): min(loops / E[time on the loop],
     * loops x workers / E[offloaded CPU], cores / E[CPU]). I/O waits hold no thread (the selector).
     */
    @Override
    public CapacityBound capacityBound(CapacityBound.Demand d) {
        return CapacityBound.lowest(
                CapacityBound.loops(d),
                CapacityBound.threads(
                        d.loops() * LoopOptions.DEFAULTS.workerThreads(), 0, d.offloadSeconds(), "worker threads"),
                CapacityBound.cores(d));
    }
}
