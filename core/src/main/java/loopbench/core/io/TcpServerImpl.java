package loopbench.core.io;

import java.util.function.Consumer;
import loopbench.core.EventEmitter;

/** A {@link TcpServer} over any transport's listening socket. */
final class TcpServerImpl implements TcpServer, Transport.AcceptSink {
    private final NetCore net;
    private final TcpOptions options;
    private final EventEmitter events = new EventEmitter();
    private Transport.ListenChannel channel;
    private int port;
    private String where = "";
    private boolean listening;
    private int connections;
    private boolean closeEmitted;

    TcpServerImpl(NetCore net, TcpOptions options) {
        this.net = net;
        this.options = options;
    }

    void start(Transport.ListenChannel channel, String host) {
        this.channel = channel;
        this.port = channel.port();
        this.where = host + ":" + port;
        this.listening = true;
    }

    @Override
    public void onAccept(Transport.StreamChannel accepted) {
        if (!listening) {
            accepted.close();
            return;
        }
        TcpConnection c = new TcpConnection(net, accepted, options, this);
        connections++;
        events.emit("connection", c);
    }

    @Override
    public void onError(Throwable error) {
        if (listening && events.listenerCount("error") > 0) {
            events.emit("error", NetCore.ioError("accept on " + where, error));
        }
    }

    void connectionClosed() {
        connections--;
        maybeEmitClose();
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public TcpServer onConnection(Consumer<Connection> handler) {
        java.util.Objects.requireNonNull(handler, "onConnection: handler is null");
        events.on("connection", c -> handler.accept((Connection) c));
        return this;
    }

    @Override
    public EventEmitter events() {
        return events;
    }

    @Override
    public int connections() {
        return connections;
    }

    @Override
    public void close() {
        net.check("server.close");
        if (!listening) return;
        listening = false;
        channel.close();
        net.closed(this);
        maybeEmitClose();
    }

    /** Node emits a server's 'close' once it stopped listening and its last connection closed. */
    private void maybeEmitClose() {
        if (listening || connections > 0 || closeEmitted) return;
        closeEmitted = true;
        net.nextTick(() -> events.emit("close", null));
    }

    void closeForShutdown() {
        listening = false;
        channel.close();
    }

    @Override
    public boolean isListening() {
        return listening;
    }

    @Override
    public String toString() {
        return "TcpServer[" + where + (listening ? "" : ", closed") + "]";
    }
}
