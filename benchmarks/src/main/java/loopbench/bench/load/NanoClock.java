package loopbench.bench.load;

import java.util.concurrent.locks.LockSupport;

/**
 * The generator's clock: a time source and a precise wait. {@link #SYSTEM} parks until shortly
 * before the deadline and spins the rest (parkNanos alone overshoots by tens of microseconds on
 * Linux); tests substitute a clock whose time moves only when told to.
 */
public interface NanoClock {
    long nanoTime();

    /** Returns at {@code deadline} or later, as close to it as possible, with the time it returned at. */
    long waitUntil(long deadline, long spinNanos);

    /**
     * The spin window that makes {@link #SYSTEM} precise on this machine: the 90th percentile of how
     * far {@code parkNanos} overshoots (Linux timer slack is 50 us; virtual machines add more), plus
     * 10 us, at least 50 us and at most 250 us. Measured once per JVM, in about 40 ms.
     */
    static long autoSpinNanos() {
        return AutoSpin.NANOS;
    }

    NanoClock SYSTEM = new NanoClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long waitUntil(long deadline, long spinNanos) {
            for (; ; ) {
                long now = System.nanoTime();
                long left = deadline - now;
                if (left <= 0) return now;
                if (left > spinNanos) LockSupport.parkNanos(left - spinNanos);
                else Thread.onSpinWait();
            }
        }
    };

    /** Holder: measured on first use. */
    final class AutoSpin {
        static final long NANOS = measure();

        private AutoSpin() {}

        private static long measure() {
            long[] over = new long[300];
            for (int i = 0; i < 20; i++) LockSupport.parkNanos(20_000);
            for (int i = 0; i < over.length; i++) {
                long t0 = System.nanoTime();
                LockSupport.parkNanos(20_000);
                over[i] = System.nanoTime() - t0 - 20_000;
            }
            java.util.Arrays.sort(over);
            return Math.max(50_000, Math.min(250_000, over[over.length * 9 / 10] + 10_000));
        }
    }
}
