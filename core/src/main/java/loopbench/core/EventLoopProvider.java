package loopbench.core;

/** A runtime, found with {@link java.util.ServiceLoader}: each runtime module registers one. */
public interface EventLoopProvider {
    /** {@code loop}, {@code loom} or {@code threadpool}. */
    String name();

    /** One line for the README's table and {@code --help}. */
    String description();

    EventLoop create(LoopOptions options);
}
