package loopbench.bench.load;

/** A clock that moves only when told to (or by {@code tick} per reading): deterministic generator tests. */
final class FakeClock implements NanoClock {
    long now = 1_000_000_000L;
    long tick; // added after every reading

    @Override
    public long nanoTime() {
        long t = now;
        now += tick;
        return t;
    }

    @Override
    public long waitUntil(long deadline, long spinNanos) {
        if (now - deadline < 0) now = deadline;
        return nanoTime();
    }

    void advance(long nanos) {
        now += nanos;
    }
}
