package loopbench.core;

/**
 * A runtime, found with {@link java.util.ServiceLoader}: each runtime module registers one in
 * {@code META-INF/services/loopbench.core.EventLoopProvider}. The provider is the only place a
 * runtime's name, place in listings and capabilities are stated; everything else asks
 * {@link EventLoops}.
 */
public interface EventLoopProvider {
    /** The name users type ({@code --runtime}) and results carry. */
    String name();

    /** Where this runtime stands in reports, tables and listings: lower first (ties: by name). */
    int order();

    /** One line for the README's table and {@code --help}. */
    String description();

    /**
     * Whether {@code loop.await} parks the awaiting body and lets the loop run on (the loop is an
     * {@link AwaitingEventLoop}); if not, await is refused and async code is written as promise chains.
     */
    boolean canAwait();

    /**
     * Whether a parked {@code await} holds a platform thread until it resumes (its stack off the heap,
     * and one of a bounded number); false when it parks a virtual thread or the runtime cannot await.
     */
    default boolean awaitHoldsPlatformThread() {
        return false;
    }

    /**
     * Whether a fresh loop per request is cheap enough for the load harness's per-request layout
     * (false when every loop starts platform threads of its own).
     */
    boolean supportsLoopPerRequest();

    EventLoop create(LoopOptions options);

    /**
     * The highest rate this runtime's model allows for {@code demand}: the analytical ceiling a measured
     * capacity is read against. By default a loop runs one callback at a time and the CPU work shares
     * the cores: min(loops / E[time on the loop], cores / E[CPU]) (the loom model, where a blocked
     * virtual thread holds no carrier).
     */
    default CapacityBound capacityBound(CapacityBound.Demand demand) {
        return CapacityBound.lowest(CapacityBound.loops(demand), CapacityBound.cores(demand));
    }

    /**
     * A group of loops that share what this runtime shares between loops (the threadpool runtime:
     * one bounded pool); by default they share nothing and each loop is {@link #create}d alone.
     *
     * @param sharedThreads threads of what the group shares, for runtimes that share a pool; 0 for
     *                      the runtime's default; ignored by runtimes that share nothing
     */
    default LoopGroup newGroup(LoopOptions options, int sharedThreads) {
        if (sharedThreads < 0) throw new IllegalArgumentException("sharedThreads must be >= 0, was " + sharedThreads);
        return new LoopGroup() {
            @Override
            public EventLoop newLoop() {
                return create(options);
            }

            @Override
            public void close() {}
        };
    }
}
