package loopbench.core.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The blocking transport's shutdown: the loop interrupts its threads once {@link
 * BlockingTransport#shutdown} returns, and an interrupt that lands on an accept which has just got
 * a socket leaks that socket (the JDK throws ClosedByInterruptException without closing it). So
 * shutdown must return only after every accept in flight has left {@code accept()}.
 */
class BlockingTransportTest {

    /** Runs each call on a platform thread of its own, as the threadpool runtime runs it on a pool thread. */
    private static final class ThreadPerCall implements BlockingCalls {
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicReference<Throwable> error = new AtomicReference<>();
        volatile Thread thread;

        @Override
        public <T> void call(Callable<T> call, BiConsumer<? super T, Throwable> done) {
            thread = Thread.ofPlatform().name("accepting").start(() -> {
                started.countDown();
                try {
                    call.call();
                } catch (Throwable t) {
                    error.set(t);
                }
            });
        }
    }

    @Test
    void shutdownReturnsOnlyOnceTheAcceptInFlightHasReturned() throws Exception {
        for (int round = 0; round < 20; round++) {
            ThreadPerCall calls = new ThreadPerCall();
            BlockingTransport transport = new BlockingTransport(calls);
            transport.listen(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), TcpOptions.DEFAULTS, new Sinkless());
            assertTrue(calls.started.await(10, TimeUnit.SECONDS));
            awaitBlockedInAccept(calls.thread);

            transport.shutdown(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));

            assertFalse(inAccept(calls.thread), "round " + round + ": shutdown returned while accept() ran");
            calls.thread.interrupt(); // what the loop does next: must find nothing left to leak
            calls.thread.join(10_000);
            assertFalse(calls.thread.isAlive());
            Throwable e = calls.error.get();
            assertTrue(
                    e instanceof AsynchronousCloseException || e instanceof ClosedChannelException,
                    "the accept ended because its socket closed, not " + e);
        }
    }

    @Test
    void shutdownIsIdempotentAndAListenerStartedAfterItFailsAtOnce() throws Exception {
        ThreadPerCall calls = new ThreadPerCall();
        BlockingTransport transport = new BlockingTransport(calls);
        transport.shutdown(System.nanoTime());
        transport.shutdown(System.nanoTime()); // a second call returns at once
        assertFalse(transport.hasPendingWork());
        try {
            transport.listen(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), TcpOptions.DEFAULTS, new Sinkless());
        } catch (ClosedChannelException expected) {
            return; // the socket was closed as it was opened
        }
        throw new AssertionError("listen after shutdown must fail");
    }

    /** Waits until the thread is blocked (in accept), so shutdown closes a socket with an accept in progress. */
    private static void awaitBlockedInAccept(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.RUNNABLE || !inAccept(t)) {
            if (System.nanoTime() > deadline) throw new AssertionError("never reached accept(): " + t.getState());
            Thread.sleep(1);
        }
    }

    private static boolean inAccept(Thread t) {
        for (StackTraceElement f : t.getStackTrace())
            if (f.getClassName().equals("sun.nio.ch.ServerSocketChannelImpl")
                    && f.getMethodName().equals("accept")) return true;
        return false;
    }

    private static final class Sinkless implements Transport.AcceptSink {
        @Override
        public void onAccept(Transport.StreamChannel channel) {
            throw new AssertionError("nothing connects");
        }

        @Override
        public void onError(Throwable error) {}
    }
}
