package loopbench.threadpool;

import loopbench.core.EventLoop;
import loopbench.core.EventLoopProvider;
import loopbench.core.LoopOptions;

public final class ThreadPoolProvider implements EventLoopProvider {
    @Override
    public String name() {
        return "threadpool";
    }

    @Override
    public String description() {
        return "platform threads of a bounded pool, one at a time per loop; await blocks a pool thread";
    }

    @Override
    public EventLoop create(LoopOptions options) {
        return new ThreadPoolEventLoop(options);
    }
}
