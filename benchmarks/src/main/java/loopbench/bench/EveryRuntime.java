package loopbench.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * JMH's {@code runtime} parameter over every runtime, for the benchmarks that run on each.
 *
 * <p>JMH reads {@code @Param} values from the annotation at compile time, so they cannot be asked
 * of the registry ({@link loopbench.core.EventLoops}) like everything else: this is the one place
 * they are spelled for JMH, and {@code MicroBenchmarkListTest} fails when it and the registry
 * disagree. {@code -p runtime=...} picks some of them at run time. A benchmark that only some
 * runtimes can run (one that awaits) states its own list, held to the registry the same way.
 */
@State(Scope.Thread)
public abstract class EveryRuntime {
    @Param({"loop", "loom", "threadpool"})
    public String runtime;
}
