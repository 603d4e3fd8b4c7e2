package loopbench.bench.soak;

import java.util.Arrays;
import java.util.Locale;

/**
 * Whether a series of heap-after-GC samples is flat, and by how much it is not.
 *
 * <p>Algorithm: the first quarter of the samples is warm-up (JIT, class initialisation, pools and
 * caches filling) and is ignored. The heap is flat when both hold:
 * <ol>
 *   <li>the median of the last quarter exceeds the median of the second quarter by at most the
 *       allowance (medians, so one noisy sample moves nothing);
 *   <li>the least-squares slope over the second half, projected over 10 minutes, is at most the
 *       allowance (a slow steady leak that the medians' gap could hide in a short run).
 * </ol>
 * The allowance is {@code max(1 MiB, 5% of the second quarter's median)}: the live set also holds
 * whatever operations are in flight at the sample, which moves it by tens of kilobytes either way.
 * Invariant: fewer than {@link #MIN_SAMPLES} samples are never flat (too few to have quarters).
 */
public record HeapTrend(
        int samples,
        long secondQuarterMedianBytes,
        long lastQuarterMedianBytes,
        long growthBytes,
        long allowanceBytes,
        double slopeBytesPerMinute,
        double projectedBytesPer10Minutes,
        boolean flat,
        String explanation) {

    public static final int MIN_SAMPLES = 8;
    public static final long MIN_ALLOWANCE_BYTES = 1L << 20;
    public static final double ALLOWANCE_FRACTION = 0.05;

    /** {@code seconds[i]} is when {@code heapBytes[i]} was taken; both in time order. */
    public static HeapTrend of(double[] seconds, long[] heapBytes) {
        if (seconds.length != heapBytes.length) {
            throw new IllegalArgumentException(
                    "seconds and heapBytes differ in length: " + seconds.length + " vs " + heapBytes.length);
        }
        int n = heapBytes.length;
        if (n < MIN_SAMPLES) {
            return new HeapTrend(
                    n,
                    0,
                    0,
                    0,
                    0,
                    Double.NaN,
                    Double.NaN,
                    false,
                    "only " + n + " samples: the verdict needs at least " + MIN_SAMPLES
                            + " (run longer or sample more often)");
        }
        long q2 = median(heapBytes, n / 4, n / 2);
        long q4 = median(heapBytes, 3 * n / 4, n);
        long growth = q4 - q2;
        long allowance = Math.max(MIN_ALLOWANCE_BYTES, Math.round(q2 * ALLOWANCE_FRACTION));
        double slope = slopePerSecond(seconds, heapBytes, n / 2, n) * 60;
        double projected = slope * 10;
        boolean mediansOk = growth <= allowance;
        boolean slopeOk = projected <= allowance;
        String why = String.format(
                Locale.ROOT,
                "heap after GC: median %s in the second quarter, %s in the last (%s%s, allowed %s); slope over the second half %s/min, %s per 10 min (allowed %s)",
                mib(q2),
                mib(q4),
                growth >= 0 ? "+" : "",
                mib(growth),
                mib(allowance),
                mib(slope),
                mib(projected),
                mib(allowance));
        if (!mediansOk || !slopeOk) {
            why = "GROWING: " + why;
        }
        return new HeapTrend(n, q2, q4, growth, allowance, slope, projected, mediansOk && slopeOk, why);
    }

    /** Median of {@code v[from, to)}; the lower middle for an even count (a whole number of bytes). */
    static long median(long[] v, int from, int to) {
        long[] s = Arrays.copyOfRange(v, from, to);
        Arrays.sort(s);
        return s[(s.length - 1) / 2];
    }

    /** Least-squares slope of {@code y} against {@code x} over {@code [from, to)}, in y per x. */
    static double slopePerSecond(double[] x, long[] y, int from, int to) {
        int m = to - from;
        double mx = 0;
        double my = 0;
        for (int i = from; i < to; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= m;
        my /= m;
        double sxy = 0;
        double sxx = 0;
        for (int i = from; i < to; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }

    static String mib(double bytes) {
        return String.format(Locale.ROOT, "%.2f MiB", bytes / (1 << 20));
    }
}
