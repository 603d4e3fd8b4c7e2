package loopbench.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import loopbench.bench.backend.BackendCalls;
import loopbench.bench.backend.BackendConfig;
import loopbench.core.EventLoop;
import loopbench.core.EventLoopProvider;
import loopbench.core.EventLoops;
import loopbench.core.LoopGroup;
import loopbench.core.LoopOptions;

/**
 * The loops of one run, laid out as {@link Layout} says, and the {@link Target} that submits
 * requests to them with {@code loop.execute}. Every long-lived loop is kept alive with
 * {@code keepAlive()}, run on a thread of its own, and carries a {@link LagProbe}. In the
 * per-request layout each request gets a fresh loop (run by a virtual thread that only waits for
 * it to end), and the lag probe runs on one extra sentinel loop of the same runtime, which competes
 * for the same carriers (loom) or CPUs (threadpool: on a pool of its own, see the constructor) as the requests.
 *
 * <p>Each long-lived loop also gets its {@link BackendCalls} when it starts running: with a tcp
 * backend that opens the loop's connections, and the set is ready only once every loop's are open
 * (a backend that cannot be reached fails the start, saying why). {@link #close} lets each loop
 * close them once its calls in flight have settled. The per-request layout takes no tcp backend: a
 * fresh loop per request would open fresh connections per request.
 */
final class LoopSet implements OpenLoopGenerator.Target, AutoCloseable {
    private final String runtime;
    private final Layout layout;
    private final EventLoop[] loops;
    private final LagProbe[] probes;
    private final AutoCloseable[] alive;
    private final Thread[] runners;
    private final EventLoopProvider provider;
    private final LoopGroup group; // the long-lived and per-request loops share what the runtime shares
    private final ExecutorService perRequest;
    private final LongAdder uncaught = new LongAdder();
    private final LatencySink.Owned[] sinks; // one per long-lived loop
    private final LatencySink.Shared requestSink; // per-request layout
    private final BackendConfig backend;
    private final BackendCalls[] backends; // one per long-lived loop, made on it
    private volatile Throwable runFailure;
    private volatile Object backendFailure;
    private int next; // generator thread only

    /**
     * @param loopCount  loops for {@link Layout#PER_CORE} (ignored otherwise)
     * @param poolThreads threads of what the runtime's loops share (threadpool: its pool, core = max); 0 for the runtime's default
     * @param backend    where the requests' backend calls go (a tcp one must have its address)
     */
    LoopSet(
            String runtime,
            Layout layout,
            int loopCount,
            int poolThreads,
            int lagIntervalMs,
            long lagSpikeNanos,
            LatencyRecorder recorder,
            BackendConfig backend) {
        this.provider = EventLoops.provider(runtime);
        if (layout == Layout.PER_REQUEST && !provider.supportsLoopPerRequest()) {
            throw new IllegalArgumentException(
                    "the per-request layout needs a runtime whose loops are cheap to make per request ("
                            + String.join(", ", EventLoops.names(EventLoopProvider::supportsLoopPerRequest)) + "): the "
                            + runtime
                            + " runtime would start platform threads of its own for every request");
        }
        if (layout == Layout.PER_REQUEST && backend.isTcp()) {
            throw new IllegalArgumentException(
                    "the per-request layout cannot use the tcp backend: each request's fresh loop "
                            + "would open connections of its own; use --backend simulated, or the per-core or single layout");
        }
        this.backend = backend;
        this.runtime = runtime;
        this.layout = layout;
        this.group = provider.newGroup(LoopOptions.DEFAULTS, poolThreads);
        int n = layout == Layout.PER_CORE ? Math.max(1, loopCount) : 1;
        loops = new EventLoop[n];
        probes = new LagProbe[n];
        alive = new AutoCloseable[n];
        runners = new Thread[n];
        sinks = new LatencySink.Owned[n];
        backends = new BackendCalls[n];
        requestSink = layout == Layout.PER_REQUEST ? recorder.sharedSink() : null;
        perRequest = layout == Layout.PER_REQUEST
                ? Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("loopbench-load-request-", 0).factory())
                : null;
        CountDownLatch ready = new CountDownLatch(n);
        try {
            for (int i = 0; i < n; i++) {
                // Per-request: the sentinel stands outside the requests' group. On threadpool an idle driver on the
                // shared pool sleeps in poll, which BoundedPool does not count as blocked, so once every other pool
                // thread is a request driver waiting for its queued body, exhaustion would never be detected: a
                // deadlock.
                EventLoop loop = perRequest != null ? watched(provider.create(LoopOptions.DEFAULTS)) : newLoop();
                LagProbe probe = new LagProbe(loop, lagIntervalMs, lagSpikeNanos);
                loops[i] = loop;
                probes[i] = probe;
                if (requestSink == null) sinks[i] = recorder.ownedSink(loop::execute);
                alive[i] = loop.keepAlive();
                int index = i;
                runners[i] = Thread.ofPlatform()
                        .daemon()
                        .name("loopbench-load-runner-" + i)
                        .start(() -> {
                            try {
                                loop.run(() -> {
                                    probe.start();
                                    BackendCalls b;
                                    try {
                                        b = backend.open(loop);
                                    } catch (RuntimeException e) {
                                        backendFailure = e;
                                        ready.countDown();
                                        return;
                                    }
                                    backends[index] = b;
                                    b.start().whenSettled((reason, rejected) -> {
                                        if (rejected) backendFailure = reason;
                                        ready.countDown();
                                    });
                                });
                            } catch (Throwable t) {
                                runFailure = t;
                                ready.countDown();
                            }
                        });
            }
            if (!ready.await(30, TimeUnit.SECONDS))
                throw new IllegalStateException("the " + runtime + " loops did not start within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting loops", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (runFailure != null) {
            close();
            throw new IllegalStateException("a " + runtime + " loop failed to start: " + runFailure, runFailure);
        }
        if (backendFailure != null) {
            Object why = backendFailure;
            close();
            throw new IllegalStateException(
                    "the " + runtime + " loops could not open their backend connections: "
                            + (why instanceof Throwable t ? t.getMessage() : String.valueOf(why)),
                    why instanceof Throwable t ? t : null);
        }
    }

    private EventLoop newLoop() {
        return watched(group.newLoop());
    }

    private EventLoop watched(EventLoop loop) {
        loop.onUncaughtException(e -> uncaught.increment());
        loop.onUnhandledRejection((reason, p) -> uncaught.increment());
        return loop;
    }

    String runtime() {
        return runtime;
    }

    Layout layout() {
        return layout;
    }

    /** Long-lived loops (the sentinel alone in the per-request layout). */
    int loopCount() {
        return loops.length;
    }

    long uncaught() {
        return uncaught.sum();
    }

    /** Called by the generator thread only. */
    @Override
    public void submit(Request r) {
        if (perRequest != null) {
            r.sink = requestSink;
            perRequest.execute(() -> runAlone(r));
            return;
        }
        int i = next;
        next = i + 1 == loops.length ? 0 : i + 1;
        EventLoop loop = loops[i];
        r.loop = loop;
        r.sink = sinks[i];
        r.backend = backends[i];
        loop.execute(r);
    }

    /** Thread-per-request: a fresh loop runs the request as its main body and ends when it is done. */
    private void runAlone(Request r) {
        EventLoop loop;
        try {
            loop = newLoop();
        } catch (Throwable t) {
            r.fail();
            return;
        }
        r.loop = loop;
        try {
            loop.run(() -> {
                r.backend = backend.open(loop); // simulated: the tcp backend is refused in this layout
                r.run();
            });
        } catch (Throwable t) {
            if (!r.started) r.fail();
            else uncaught.increment();
        } finally {
            loop.close();
        }
    }

    /**
     * Each long-lived loop's idle time so far ({@link loopbench.core.LoopStats#idleNanos}); empty in the
     * per-request layout, whose sentinel loop serves no request.
     */
    long[] idleNanos() {
        if (perRequest != null) return new long[0];
        long[] idle = new long[loops.length];
        for (int i = 0; i < loops.length; i++) idle[i] = loops[i].stats().idleNanos();
        return idle;
    }

    /** The sinks of the long-lived loops (empty in the per-request layout). */
    List<LatencySink.Owned> ownedSinks() {
        return java.util.Arrays.stream(sinks).filter(x -> x != null).toList();
    }

    /** Backend calls rejected (connection failures, no open connection), over every loop; valid after {@link #close}. */
    long backendFailedCalls() {
        long n = 0;
        for (BackendCalls b : backends) if (b != null) n += b.failedCalls();
        return n;
    }

    /** Backend connections that failed or could not be opened, over every loop; valid after {@link #close}. */
    long backendConnectionFailures() {
        long n = 0;
        for (BackendCalls b : backends) if (b != null) n += b.connectionFailures();
        return n;
    }

    /** The first backend connection failure's message over every loop, or null; valid after {@link #close}. */
    String backendFirstFailure() {
        for (BackendCalls b : backends) if (b != null && b.firstFailure() != null) return b.firstFailure();
        return null;
    }

    BackendConfig backend() {
        return backend;
    }

    /** The probes' samples; valid after {@link #close}. */
    List<LagProbe> probes() {
        return java.util.Arrays.stream(probes).filter(p -> p != null).toList();
    }

    /** Stops the probes, lets the loops end, and ends every thread this set started. */
    @Override
    public void close() {
        List<Throwable> problems = new ArrayList<>();
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] == null) continue;
            LagProbe probe = probes[i];
            int index = i;
            try {
                if (!loops[i].isClosed()) {
                    loops[i].execute(() -> {
                        probe.stop();
                        if (backends[index] != null) backends[index].closeWhenIdle();
                    });
                }
            } catch (RuntimeException e) {
                problems.add(e);
            }
            try {
                if (alive[i] != null) alive[i].close();
            } catch (Exception e) {
                problems.add(e);
            }
        }
        if (perRequest != null) {
            perRequest.shutdown();
            try {
                if (!perRequest.awaitTermination(10, TimeUnit.SECONDS)) perRequest.shutdownNow();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = 0; i < loops.length; i++) {
            if (runners[i] == null) continue;
            try {
                runners[i].join(TimeUnit.SECONDS.toMillis(
                        3)); // requests still in flight keep a loop alive; then close() drops them
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (EventLoop loop : loops) {
            if (loop != null) loop.close();
        }
        for (Thread t : runners) {
            if (t == null) continue;
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        group.close();
    }
}
