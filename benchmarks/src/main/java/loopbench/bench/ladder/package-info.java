/**
 * Comparing runtimes at the same offered load: the rate ladder every runtime climbs, the rule
 * that says when a runtime has saturated, its capacity at a latency objective, and the queueing
 * theory the harness is validated against.
 *
 * <p>Why one ladder: latencies are only comparable at the same offered rate. A runtime run at
 * fractions of its own estimated capacity is measured at rates that may be 70x apart from
 * another's, and the estimate, not the runtime, then decides which p99 looks better. The ladder's
 * rates come from one fixed geometric grid ({@link RateLadder#GRID}), so every runtime, and every
 * later run of the same load, offers exactly the same rates, and {@code compare} can match points
 * by rate.
 */
package loopbench.bench.ladder;
