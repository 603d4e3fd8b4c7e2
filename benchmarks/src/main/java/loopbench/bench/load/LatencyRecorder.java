package loopbench.bench.load;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * The completions of one run: one {@link LatencySink} per loop (or one shared sink), the clock
 * they read, and the end of the measurement window. Requests in flight are not counted here with an
 * atomic both sides would fight over: the generator knows how many it issued, and in flight is
 * issued - {@link #done()}.
 */
final class LatencyRecorder {
    final NanoClock clock;
    /** Completions at or before this instant count towards achieved throughput (set by the generator). */
    volatile long windowEnd = Long.MAX_VALUE;

    private final List<LatencySink> sinks = new CopyOnWriteArrayList<>();

    LatencyRecorder(NanoClock clock) {
        this.clock = clock;
    }

    /** A sink written only by the loop behind {@code owner} (or, with a null owner, by whoever takes from it). */
    LatencySink.Owned ownedSink(Executor owner) {
        LatencySink.Owned s = new LatencySink.Owned(this, owner);
        sinks.add(s);
        return s;
    }

    LatencySink.Shared sharedSink() {
        LatencySink.Shared s = new LatencySink.Shared(this);
        sinks.add(s);
        return s;
    }

    List<LatencySink> sinks() {
        return sinks;
    }

    /** Requests finished, successfully or not. */
    long done() {
        long n = 0;
        for (LatencySink s : sinks) n += s.completed() + s.errors();
        return n;
    }

    long completed() {
        long n = 0;
        for (LatencySink s : sinks) n += s.completed();
        return n;
    }

    long completedInWindow() {
        long n = 0;
        for (LatencySink s : sinks) n += s.completedInWindow();
        return n;
    }

    long errors() {
        long n = 0;
        for (LatencySink s : sinks) n += s.errors();
        return n;
    }
}
