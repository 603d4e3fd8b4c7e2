package loopbench.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * JMH's {@code runtime} parameter over every runtime, for the benchmarks that run on each.
 *
 * <p>JMH takes {@code @Param} values from the annotation at compile time, which cannot ask the
 * registry; so the parameter holds a placeholder and {@link JmhMain}, benchmarks.jar's main,
 * replaces it with {@link loopbench.core.EventLoops#names()} at launch. {@code -p runtime=...} picks
 * some of them.
 */
@State(Scope.Thread)
@Runtimes(Runtimes.Which.ALL)
public abstract class EveryRuntime {
    @Param(Runtimes.FILLED)
    public String runtime;
}
