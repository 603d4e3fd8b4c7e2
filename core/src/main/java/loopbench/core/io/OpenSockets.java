package loopbench.core.io;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every socket a transport opened and has not closed yet, so that shutting the transport down
 * closes them all and nothing leaks past close(). Any thread.
 */
public final class OpenSockets {
    private final Set<NetworkChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closedAll;

    /** Counts a socket as open; one opened after {@link #closeAll} is closed at once. */
    public <C extends NetworkChannel> C track(C ch) throws IOException {
        open.add(ch);
        if (closedAll) {
            close(ch);
            throw new ClosedChannelException();
        }
        return ch;
    }

    /** Closes one socket, quietly: there is nothing left to do if closing fails. */
    public void close(NetworkChannel ch) {
        open.remove(ch);
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a socket: nothing left to do
        }
    }

    /** Closes every tracked socket, and every one tracked from now on. Idempotent. */
    public void closeAll() {
        closedAll = true;
        for (NetworkChannel ch : new ArrayList<>(open)) close(ch);
    }

    public boolean isClosedAll() {
        return closedAll;
    }
}
