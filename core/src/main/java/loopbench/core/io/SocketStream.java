package loopbench.core.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * What a connected socket holds on every transport: the channel, its two addresses (read once,
 * when it connects or is accepted) and the sink its reads go to. The transports add only how
 * they move bytes.
 */
public abstract class SocketStream implements Transport.StreamChannel {
    protected final SocketChannel ch;
    protected Transport.StreamSink sink;
    private final InetSocketAddress local, remote;

    protected SocketStream(SocketChannel ch) {
        this.ch = ch;
        InetSocketAddress l = null, r = null;
        try {
            l = (InetSocketAddress) ch.getLocalAddress();
            r = (InetSocketAddress) ch.getRemoteAddress();
        } catch (IOException ignored) {
            // closed already: the first read says so
        }
        this.local = l;
        this.remote = r;
    }

    @Override
    public final void setSink(Transport.StreamSink sink) {
        this.sink = sink;
    }

    @Override
    public final InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public final InetSocketAddress remoteAddress() {
        return remote;
    }
}
