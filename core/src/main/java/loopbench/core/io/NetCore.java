package loopbench.core.io;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import loopbench.core.EventLoop;
import loopbench.core.LoopClosedException;
import loopbench.core.Promise;
import loopbench.core.Timeout;

/**
 * {@link Net} once for every runtime: name lookup, connect and listen, the handles that keep the
 * loop alive, and the error texts. The runtime gives it a {@link Transport} (how bytes move) and
 * its request plumbing ({@link BlockingCalls}: where blocking calls run, used for name lookups and
 * by the {@link BlockingTransport}).
 *
 * <p>The loop ({@code EventLoopCore}) builds one around the runtime's transport, asks
 * {@link #hasLiveHandles} whether it is alive, and calls {@link #shutdown} when it closes.
 */
public final class NetCore implements Net {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    final EventLoop loop;
    private final Consumer<String> ownerCheck;
    private final BlockingCalls blocking;
    private final Transport transport;
    private final Set<Object> open = ConcurrentHashMap.newKeySet(); // connections and servers not yet closed
    private int connecting; // connects in progress (owner-only)
    private volatile boolean shutdown;

    /**
     * @param loop       the loop this serves
     * @param ownerCheck the loop's owner check ({@code this::checkOwner}): throws off the owner thread
     * @param blocking   where blocking calls run (the loop's work requests)
     * @param transport  how bytes move
     */
    public NetCore(EventLoop loop, Consumer<String> ownerCheck, BlockingCalls blocking, Transport transport) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.ownerCheck = Objects.requireNonNull(ownerCheck, "ownerCheck");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    // ------------------------------------------------------------------ the loop's hooks

    /** Open servers and connections, connects in progress, queued completions: the loop stays alive. */
    public boolean hasLiveHandles() {
        return connecting > 0 || !open.isEmpty() || transport.hasPendingWork();
    }

    /** The loop has stopped: closes every socket without callbacks. Any thread; idempotent. */
    public void shutdown(long deadlineNanos) {
        shutdown = true;
        for (Object h : new ArrayList<>(open)) {
            if (h instanceof TcpConnection c) c.closeForShutdown();
            else if (h instanceof TcpServerImpl s) s.closeForShutdown();
        }
        open.clear();
        transport.shutdown(deadlineNanos);
    }

    @Override
    public int openHandles() {
        return open.size();
    }

    // ------------------------------------------------------------------ connect, listen

    @Override
    public Promise<Connection> connect(String host, int port, TcpOptions options) {
        Objects.requireNonNull(host, "net.connect: host is null");
        Objects.requireNonNull(options, "net.connect: options is null");
        check("net.connect");
        if (port < 1 || port > 65535)
            throw new IllegalArgumentException("net.connect: port must be 1..65535, was " + port);
        ConnectAttempt a = new ConnectAttempt(loop.deferred(), host + ":" + port, options);
        connecting++;
        lookup(host, (address, lookupError) -> {
            if (a.timedOut) {
                connecting--;
                return;
            }
            if (lookupError != null) {
                a.settled();
                a.r.reject(
                        lookupError instanceof UnknownHostException
                                ? new NetException(
                                        NetException.ENOTFOUND,
                                        "connect ENOTFOUND " + host + ": the name does not resolve",
                                        lookupError)
                                : ioError("connect to " + a.target + ": name lookup", lookupError));
                return;
            }
            a.abort = transport.connect(new InetSocketAddress(address, port), options, (channel, error) -> {
                a.settled();
                if (error != null) {
                    if (!a.timedOut) a.r.reject(connectError(a.target, error));
                } else if (a.timedOut || shutdown || loop.isClosed()) {
                    channel.close();
                } else {
                    a.r.resolve(new TcpConnection(this, channel, options, null));
                }
            });
        });
        return a.r.promise();
    }

    /**
     * One connect in progress and its deadline (owner-only): a lookup, then the transport's connect.
     * When the timer fires first, the promise rejects with ERR_CONNECT_TIMEOUT and the attempt is
     * abandoned; what the lookup or the transport reports afterwards only releases the handle.
     */
    private final class ConnectAttempt {
        final Promise.Resolvers<Connection> r;
        final String target;
        private Timeout timer;
        Runnable abort; // the transport's, once the TCP connect has started
        boolean timedOut;

        ConnectAttempt(Promise.Resolvers<Connection> r, String target, TcpOptions options) {
            this.r = r;
            this.target = target;
            int ms = options.connectTimeoutMillis();
            if (ms > 0) timer = loop.setTimeout(() -> timeOut(ms), ms);
        }

        private void timeOut(int ms) {
            timer = null;
            timedOut = true;
            r.reject(new NetException(
                    NetException.ERR_CONNECT_TIMEOUT,
                    "connect to " + target + " timed out after " + ms
                            + " ms: no connection was made (TcpOptions.connectTimeoutMillis)"));
            if (abort != null) abort.run();
        }

        /** The lookup or the transport has answered: the handle goes, and so does the deadline. */
        void settled() {
            connecting--;
            if (timer != null) {
                loop.clearTimeout(timer);
                timer = null;
            }
        }
    }

    @Override
    public TcpServer listen(String host, int port, TcpOptions options) {
        Objects.requireNonNull(host, "net.listen: host is null");
        Objects.requireNonNull(options, "net.listen: options is null");
        check("net.listen");
        if (port < 0 || port > 65535)
            throw new IllegalArgumentException("net.listen: port must be 0..65535, was " + port);
        InetAddress address;
        if (isLiteral(host)) {
            try {
                address = InetAddress.getByName(host); // a literal: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("net.listen: bad address '" + host + "'", e);
            }
        } else if (host.equals("localhost")) {
            address = InetAddress.getLoopbackAddress();
        } else {
            throw new IllegalArgumentException("net.listen: give an IP address or 'localhost', not '" + host
                    + "' (listen binds synchronously and a name lookup could block the loop)");
        }
        TcpServerImpl server = new TcpServerImpl(this, options);
        try {
            server.start(transport.listen(new InetSocketAddress(address, port), options, server), host);
        } catch (BindException e) {
            throw new NetException(
                    NetException.EADDRINUSE,
                    "listen EADDRINUSE: " + host + ":" + port + " is already in use (" + e.getMessage() + ")",
                    e);
        } catch (IOException e) {
            throw new NetException(NetException.ERR_IO, "listen on " + host + ":" + port + " failed: " + e, e);
        }
        open.add(server);
        return server;
    }

    private void lookup(String host, BiConsumer<InetAddress, Throwable> then) {
        if (host.equals("localhost")) {
            then.accept(InetAddress.getLoopbackAddress(), null);
        } else if (isLiteral(host)) {
            InetAddress a;
            try {
                a = InetAddress.getByName(host); // a literal: parsed, not looked up
            } catch (UnknownHostException e) {
                then.accept(null, e);
                return;
            }
            then.accept(a, null);
        } else {
            blocking.call(() -> InetAddress.getByName(host), then); // getaddrinfo off the loop, as libuv does
        }
    }

    private static boolean isLiteral(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }

    // ------------------------------------------------------------------ shared by connections and servers

    /** The owner check every call makes, then the closed-loop check. */
    void check(String what) {
        ownerCheck.accept(what);
        if (loop.isClosed()) throw new LoopClosedException(what + " after close(): the loop is closed");
    }

    void opened(Object handle) {
        open.add(handle);
    }

    void closed(Object handle) {
        open.remove(handle);
    }

    /** Runs {@code r} in a nextTick, as Node emits 'close' (emitCloseNT); skipped once the loop is closing. */
    void nextTick(Runnable r) {
        if (!shutdown && !loop.isClosed()) loop.nextTick(r);
    }

    private static NetException connectError(String target, Throwable t) {
        if (t instanceof ConnectException
                && String.valueOf(t.getMessage()).toLowerCase().contains("refused")) {
            return new NetException(
                    NetException.ECONNREFUSED,
                    "connect ECONNREFUSED " + target + ": connection refused (nothing is listening on " + target + ")",
                    t);
        }
        return ioError("connect to " + target, t);
    }

    /** A failed I/O call as a NetException whose code says which failure it was. */
    static NetException ioError(String what, Throwable t) {
        if (t instanceof NetException n) return n;
        String m = String.valueOf(t.getMessage());
        String lower = m.toLowerCase();
        if (t instanceof RejectedExecutionException) {
            return new NetException(NetException.ERR_NOT_STARTED, what + " could not start: " + m, t);
        }
        if (t instanceof AsynchronousCloseException || t instanceof ClosedChannelException) {
            return new NetException(NetException.ERR_SOCKET_CLOSED, what + " failed: the socket was closed", t);
        }
        if (lower.contains("reset"))
            return new NetException(
                    NetException.ECONNRESET, what + " failed: ECONNRESET (the peer reset the connection)", t);
        if (lower.contains("broken pipe"))
            return new NetException(
                    NetException.EPIPE, what + " failed: EPIPE (the peer has closed the connection)", t);
        if (lower.contains("refused"))
            return new NetException(NetException.ECONNREFUSED, what + " failed: ECONNREFUSED (connection refused)", t);
        return new NetException(NetException.ERR_IO, what + " failed: " + t, t);
    }
}
