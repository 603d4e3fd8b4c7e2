package loopbench.bench.micro;

import org.openjdk.jmh.annotations.Benchmark;

/**
 * What does starting and ending a run cost? {@code loop.run(main)} with an empty {@code main}:
 * the calling thread hands the loop to the thread that drives it, the loop finds nothing to do,
 * and the caller is woken. Every other micro benchmark pays this once per invocation, spread over
 * its {@link Micro#N} operations; the floor ({@code ArrayDequeFloor}) does not, since it has no
 * thread of its own.
 */
public class RunCost extends PerRuntimeBenchmark {
    private int ran;
    private final Runnable empty = () -> ran++;

    @Benchmark
    public int emptyRun() {
        int before = ran;
        loop.run(empty);
        Micro.check("emptyRun", 1, ran - before);
        return ran;
    }
}
