package loopbench.compare;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/**
 * Two rank tests. {@link #of}: the two-sided Mann-Whitney U test: are two sets of repeated measurements (JMH iterations, a load
 * point's one-second intervals) drawn from the same distribution? It assumes no shape (latency
 * samples are skewed) and only that samples are exchangeable within a side. Small samples without
 * ties get the exact distribution of U, because the normal approximation commons-math3 uses is
 * anti-conservative there (3 vs 3 fully separated: 0.05 approximated, 0.10 exact); larger samples,
 * or samples with ties, get commons-math3's approximation. {@link #signedRank}: the two-sided
 * Wilcoxon signed-rank test, exact: are paired differences centred on zero?
 */
final class RankTest {
    /** Beyond this many samples in all the normal approximation is good and the exact count is costly. */
    private static final int EXACT_UP_TO = 40;

    /** {@code p}: two-sided p-value; {@code minP}: the smallest p these sample sizes can give at all. */
    record Result(double p, int n, int m, double minP) {}

    private RankTest() {}

    /** Null when either side has fewer than two finite samples. */
    static Result of(double[] x, double[] y) {
        double[] a = Arrays.stream(x).filter(Double::isFinite).toArray();
        double[] b = Arrays.stream(y).filter(Double::isFinite).toArray();
        if (a.length < 2 || b.length < 2) return null;
        double minP = Math.min(1, 2 / binomial(a.length + b.length, a.length));
        double p;
        if (a.length + b.length <= EXACT_UP_TO && !hasTies(a, b)) {
            p = exact(a, b);
        } else {
            p = new MannWhitneyUTest().mannWhitneyUTest(a, b);
            p = Math.max(p, minP);
        }
        return new Result(p, a.length, b.length, minP);
    }

    /**
     * The exact two-sided Wilcoxon signed-rank test of {@code d} (paired differences, e.g. log ratios)
     * against a distribution symmetric about zero; zeros are dropped and tied magnitudes get their mean
     * rank. Null when fewer than two differences are left.
     */
    static Result signedRank(double[] d) {
        double[] x = Arrays.stream(d).filter(v -> Double.isFinite(v) && v != 0).toArray();
        int n = x.length;
        if (n < 2) return null;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (i, j) -> Double.compare(Math.abs(x[i]), Math.abs(x[j])));
        int[] twiceRank = new int[n]; // twice the mean rank, an integer even with ties
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && Math.abs(x[order[j + 1]]) == Math.abs(x[order[i]])) j++;
            for (int k = i; k <= j; k++) twiceRank[order[k]] = i + j + 2;
            i = j + 1;
        }
        int total = Arrays.stream(twiceRank).sum();
        int plus = 0;
        for (int i = 0; i < n; i++) if (x[i] > 0) plus += twiceRank[i];
        double[] ways = new double[total + 1]; // ways[w]: sign patterns whose positive ranks sum to w
        ways[0] = 1;
        for (int r : twiceRank) for (int w = total; w >= r; w--) ways[w] += ways[w - r];
        double all = Math.pow(2, n);
        double low = 0;
        double high = 0;
        for (int w = 0; w <= total; w++) {
            if (w <= plus) low += ways[w];
            if (w >= plus) high += ways[w];
        }
        return new Result(Math.min(1, 2 * Math.min(low, high) / all), n, n, Math.min(1, 2 / all));
    }

    /** U of {@code a}: the pairs (a_i, b_j) with a_i > b_j; then P(U <= u) and P(U >= u) from the count of arrangements. */
    private static double exact(double[] a, double[] b) {
        int n = a.length;
        int m = b.length;
        int u = 0;
        for (double ai : a) for (double bj : b) if (ai > bj) u++;
        double[] ways = arrangements(n, m);
        double total = 0;
        double low = 0;
        double high = 0;
        for (int k = 0; k < ways.length; k++) {
            total += ways[k];
            if (k <= u) low += ways[k];
            if (k >= u) high += ways[k];
        }
        return Math.min(1, 2 * Math.min(low, high) / total);
    }

    /** ways[u]: how many orderings of n and m distinct values give U = u (Mann and Whitney's recurrence). */
    private static double[] arrangements(int n, int m) {
        double[][][] f = new double[n + 1][m + 1][];
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= m; j++) {
                double[] w = new double[i * j + 1];
                if (i == 0 || j == 0) {
                    w[0] = 1;
                } else {
                    // the largest value is from a (it beats all j of b) or from b (it adds nothing to U)
                    double[] withA = f[i - 1][j];
                    double[] withB = f[i][j - 1];
                    for (int k = 0; k < withA.length; k++) w[k + j] += withA[k];
                    for (int k = 0; k < withB.length; k++) w[k] += withB[k];
                }
                f[i][j] = w;
            }
        }
        return f[n][m];
    }

    private static boolean hasTies(double[] a, double[] b) {
        Set<Double> seen = new HashSet<>();
        for (double v : a) if (!seen.add(v)) return true;
        for (double v : b) if (!seen.add(v)) return true;
        return false;
    }

    private static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) c = c * (n - k + i) / i;
        return c;
    }
}
