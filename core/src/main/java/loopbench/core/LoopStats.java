package loopbench.core;

/**
 * What one loop counted since it was created. Read from any thread; figures are best effort
 * (plain fields written by the loop's owner), exact once the loop has stopped.
 *
 * @param macrotasks  callbacks run from a phase (timers, I/O and submissions, immediates, the main body)
 * @param jobs        nextTicks and microtasks (promise jobs included) run
 * @param iterations  loop iterations (timers to close callbacks)
 * @param uncaught    exceptions reported to the uncaught-exception hook
 * @param unhandledRejections rejections reported as unhandled
 * @param longestCallbackNanos the longest macrotask (drain included) the blocked-loop checker saw running;
 *                    sampled, to within its period (threshold/8, at most 100 ms); 0 with the checker off
 * @param blockedReports callbacks the blocked-loop detector reported (still running past the threshold)
 * @param handOffs       loop-token hand-offs to async bodies and back (loom, threadpool; 0 on loop)
 * @param idleNanos      time the driver slept in the poll phase with nothing to run (libuv's idle time, from
 *                       which Node's {@code eventLoopUtilization()} is computed); a sleep in progress counts
 *                       once it ends. Busy fraction over a window = 1 - idle delta / window.
 */
public record LoopStats(
        long macrotasks,
        long jobs,
        long iterations,
        long uncaught,
        long unhandledRejections,
        long longestCallbackNanos,
        long blockedReports,
        long handOffs,
        long idleNanos) {}
