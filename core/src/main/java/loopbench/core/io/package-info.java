/**
 * Node's {@code net} on the loop: TCP with length-prefixed frames ({@code loop.net()}).
 *
 * <p>API: {@link loopbench.core.io.Net} (connect, listen), {@link loopbench.core.io.Connection}
 * (write, writeFrame, readFrame with an optional timeout, close, events),
 * {@link loopbench.core.io.TcpServer}, {@link loopbench.core.io.TcpOptions} (max frame size,
 * backlog, TCP_NODELAY) and {@link loopbench.core.io.NetException} (a code and a message that says
 * what happened: host:port, byte counts, the length and the limit, the timeout).
 *
 * <p>Layers: the semantics live once here ({@link loopbench.core.io.NetCore}, the connection and
 * server classes, {@link loopbench.core.io.FrameDecoder}); a runtime supplies only a
 * {@link loopbench.core.io.Transport}. The {@code loop} runtime's is a selector polled in the poll
 * phase ({@code loopbench.loop.io.SelectorTransport}); {@code loom} and {@code threadpool} share
 * {@link loopbench.core.io.BlockingTransport}, plain blocking socket calls run where each runtime
 * runs blocking work ({@link loopbench.core.io.BlockingCalls}: a virtual thread each, or a thread of
 * the bounded pool).
 *
 * <p>Differences from Node, on purpose: reading is on demand (only while a readFrame waits or the
 * connection flows), so that an idle connection holds no thread on the blocking runtimes; a peer
 * that closes is therefore noticed when the connection next reads. 'error' is emitted only to a
 * listener, since the rejected promises carry every error already. listen() binds on 127.0.0.1 by
 * default and takes an IP address or 'localhost' (a name lookup could block the loop).
 */
package loopbench.core.io;
