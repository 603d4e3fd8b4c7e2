package loopbench.report;

import java.util.Locale;

/** Numbers as people read them in tables: about three significant digits, no exponent. */
public final class NumberText {
    private NumberText() {}

    /** Three significant digits or so: 0.0123, 1.23, 12.3, 123, 12,345; "–" when unknown. */
    public static String sig(double v) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        double a = Math.abs(v);
        String pattern = a >= 100 || a == 0
                ? "%,.0f"
                : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : a >= 0.1 ? "%.3f" : a >= 0.01 ? "%.4f" : "%.2g";
        return String.format(Locale.ROOT, pattern, v);
    }

    /** Microseconds shown as milliseconds. */
    public static String ms(double micros) {
        return sig(micros / 1000);
    }

    /** A rate in requests per second, without decimals when it is whole. */
    public static String rate(double v) {
        return !Double.isFinite(v) ? "–" : v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : sig(v);
    }

    /** A count: whole numbers with thousands separators. */
    public static String count(double v) {
        return !Double.isFinite(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
    }

    /** A ratio as "2.31x". */
    public static String times(double v) {
        return Double.isFinite(v) ? sig(v) + "x" : "–";
    }

    /** A number as typed on a command line: "5" for a whole number, "0.25" otherwise. */
    public static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A duration in whole seconds as "45s" or "3m05s". */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }
}
