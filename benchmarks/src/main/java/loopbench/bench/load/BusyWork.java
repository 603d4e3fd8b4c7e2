package loopbench.bench.load;

/**
 * CPU work of a given length: a xorshift loop whose iteration count per microsecond is calibrated
 * once per JVM. It is real CPU demand, not a wall-clock spin: a preempted request takes longer, as a
 * real one would. Calibration takes the fastest of several trials after the loop is compiled, so a
 * busy machine makes the work slightly longer rather than shorter.
 */
public final class BusyWork {
    private static volatile long sink;
    private static final double ITERATIONS_PER_MICRO = calibrate();

    private BusyWork() {}

    /** Burns about {@code micros} microseconds of CPU on the calling thread. */
    public static void burn(long micros) {
        if (micros <= 0) return;
        spin((long) (micros * ITERATIONS_PER_MICRO));
    }

    public static double iterationsPerMicro() {
        return ITERATIONS_PER_MICRO;
    }

    private static void spin(long iterations) {
        long x = 0x9E3779B97F4A7C15L ^ iterations;
        for (long i = 0; i < iterations; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        sink = x; // a volatile store: the loop cannot be removed
    }

    private static double calibrate() {
        for (int i = 0; i < 30; i++) spin(200_000); // let the JIT compile spin()
        long iterations = 2_000_000;
        long best = Long.MAX_VALUE;
        for (int trial = 0; trial < 7; trial++) {
            long t0 = System.nanoTime();
            spin(iterations);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return iterations * 1000.0 / Math.max(1, best);
    }
}
