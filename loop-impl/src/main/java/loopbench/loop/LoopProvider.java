package loopbench.loop;

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
}
