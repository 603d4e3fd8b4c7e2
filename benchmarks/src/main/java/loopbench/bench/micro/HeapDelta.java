package loopbench.bench.micro;

import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Bytes per retained object, from heap deltas, shaped for a JMH {@code @AuxCounters(EVENTS)} field.
 *
 * <p>Method: before each invocation the heap is collected (three {@code System.gc()}) and its used
 * size read; the invocation creates {@code count} objects that stay reachable (pending timers, parked
 * awaits); after it the heap is collected and read again, and {@code (after - before) / count} is one
 * sample. Everything the runtime keeps per object counts (handles, list nodes, thread stacks on the
 * heap); garbage does not. The callbacks are shared objects, so a user's own closure is not in the figure.
 *
 * <p>JMH sums an {@code EVENTS} counter over the measurement iterations (it is meant for counts), so
 * each measurement iteration reports its mean divided by the number of measurement iterations: the
 * run's score is then the mean over iterations. Warmup iterations report their mean as it is. A single
 * iteration's line in JMH's log is therefore a fraction of the figure; read the run's score.
 */
final class HeapDelta {
    private double sum;
    private int samples;
    private int divisor = 1;

    /** Call from the aux state's {@code @Setup(Level.Iteration)}. */
    void startIteration(IterationParams params) {
        sum = 0;
        samples = 0;
        divisor = params.getType() == IterationType.MEASUREMENT ? Math.max(1, params.getCount()) : 1;
    }

    /** Records one sample and returns what the aux counter field should now hold. */
    double record(long before, long after, int count) {
        sum += (double) (after - before) / count;
        samples++;
        return sum / samples / divisor;
    }
}
