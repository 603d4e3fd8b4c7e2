package loopbench.core;

/** A promise handler or async body step: like {@link java.util.function.Function}, but it may throw anything. */
@FunctionalInterface
public interface ThrowingFunction<A, R> {
    R apply(A value) throws Throwable;
}
