package loopbench.loom;

import loopbench.core.EventLoop;
import loopbench.core.EventLoopProvider;
import loopbench.core.LoopOptions;

public final class LoomProvider implements EventLoopProvider {
    @Override
    public String name() {
        return "loom";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public String description() {
        return "virtual threads, one at a time per loop; await parks only the awaiting virtual thread";
    }

    @Override
    public boolean canAwait() {
        return true;
    }

    @Override
    public boolean supportsLoopPerRequest() {
        return true;
    }

    @Override
    public EventLoop create(LoopOptions options) {
        return new VirtualThreadEventLoop(options);
    }
}
