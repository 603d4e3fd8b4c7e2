package loopbench.core;

/**
 * Loops of one runtime made to share what that runtime shares between loops (made by
 * {@link EventLoopProvider#newGroup}). Each loop is closed by its user; closing the group ends
 * what the loops shared (and every thread of it), so close the loops first.
 */
public interface LoopGroup extends AutoCloseable {
    EventLoop newLoop();

    @Override
    void close();
}
