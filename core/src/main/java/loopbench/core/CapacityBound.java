package loopbench.core;

import java.util.Locale;

/**
 * The highest request rate a runtime's model allows for a given demand per request, and the
 * resource that sets it: the analytical ceiling a measured capacity is read against. Each runtime
 * states its model in {@link EventLoopProvider#capacityBound}; the terms every model shares are
 * here, so that each formula is written once.
 *
 * @param perSecond requests per second
 * @param limit     what sets it, in words (e.g. "2 loops x 1 / 120 us on the loop")
 */
public record CapacityBound(double perSecond, String limit) {

    /**
     * What one request demands, measured, and what the run gave the runtime.
     *
     * @param loopSeconds    mean time a request holds its loop (its service time)
     * @param offloadSeconds mean CPU time a request runs offloaded, off the loop
     * @param ioWaitSeconds  mean time a request waits for I/O (its backend calls)
     * @param loops          long-lived loops in the layout
     * @param cores          processors the JVM may use
     * @param sharedThreads  threads of what the loops share (threadpool: its pool); 0 for the runtime's default
     * @param ioThreadsPerLoop threads each loop's connections hold in blocking reads (0 without real I/O)
     */
    public record Demand(
            double loopSeconds,
            double offloadSeconds,
            double ioWaitSeconds,
            int loops,
            int cores,
            int sharedThreads,
            int ioThreadsPerLoop) {
        public Demand {
            if (!(loopSeconds > 0) || offloadSeconds < 0 || ioWaitSeconds < 0 || loops < 1 || cores < 1) {
                throw new IllegalArgumentException("a demand needs time on the loop > 0, offload and I/O times >= 0, "
                        + "and at least one loop and one core: " + this);
            }
        }

        /** Mean CPU per request, on the loop and off it. */
        public double cpuSeconds() {
            return loopSeconds + offloadSeconds;
        }
    }

    /** Each loop runs one callback at a time: loops x 1 / E[time on the loop]. Every model has this term. */
    public static CapacityBound loops(Demand d) {
        return new CapacityBound(
                d.loops() / d.loopSeconds(),
                String.format(
                        Locale.ROOT,
                        "%d loop%s x 1 / %s on the loop",
                        d.loops(),
                        d.loops() == 1 ? "" : "s",
                        micros(d.loopSeconds())));
    }

    /** The processors: cores / E[CPU]. */
    public static CapacityBound cores(Demand d) {
        return new CapacityBound(
                d.cores() / d.cpuSeconds(),
                String.format(
                        Locale.ROOT,
                        "%d core%s / %s CPU",
                        d.cores(),
                        d.cores() == 1 ? "" : "s",
                        micros(d.cpuSeconds())));
    }

    /**
     * {@code threads} threads each held for {@code secondsHeld} per request, minus {@code heldByIo} kept
     * by blocking I/O: (threads - heldByIo) / secondsHeld; infinite when nothing holds a thread.
     */
    public static CapacityBound threads(int threads, int heldByIo, double secondsHeld, String what) {
        if (!(secondsHeld > 0)) return new CapacityBound(Double.POSITIVE_INFINITY, what + ": not used");
        int free = Math.max(0, threads - heldByIo);
        return new CapacityBound(
                free / secondsHeld,
                String.format(
                        Locale.ROOT,
                        "(%d %s%s) / %s held per request",
                        threads,
                        what,
                        heldByIo > 0 ? " - " + heldByIo + " held by I/O" : "",
                        micros(secondsHeld)));
    }

    /** The lowest of the bounds: the one that binds. */
    public static CapacityBound lowest(CapacityBound... bounds) {
        CapacityBound low = bounds[0];
        for (CapacityBound b : bounds) if (b.perSecond < low.perSecond) low = b;
        return low;
    }

    private static String micros(double seconds) {
        double us = seconds * 1e6;
        return us >= 1000
                ? String.format(Locale.ROOT, "%.2f ms", us / 1000)
                : String.format(Locale.ROOT, "%.1f us", us);
    }
}
