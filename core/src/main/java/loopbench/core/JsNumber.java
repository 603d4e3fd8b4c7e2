package loopbench.core;

import java.math.BigDecimal;

/** JavaScript's {@code String(number)} (ECMA-262 Number::toString), for messages that print a number as Node does. */
public final class JsNumber {
    private JsNumber() {}

    /**
     * ECMA-262 §6.1.6.1.20: the shortest digits {@code s} (k of them) and exponent {@code n} with
     * value {@code s × 10^(n−k)}; plain notation for {@code -6 < n <= 21}, else {@code d.ddde+N}.
     * Java's {@link Double#toString} gives the same shortest digits (JDK 19+), in another layout.
     */
    public static String toString(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == 0) return "0"; // -0 too
        if (d < 0) return "-" + toString(-d);
        BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String s = b.unscaledValue().toString();
        int k = s.length();
        int n = k - b.scale();
        if (k <= n && n <= 21) return s + "0".repeat(n - k);
        if (0 < n && n <= 21) return s.substring(0, n) + "." + s.substring(n);
        if (-6 < n && n <= 0) return "0." + "0".repeat(-n) + s;
        String e = (n - 1 >= 0 ? "e+" : "e-") + Math.abs(n - 1);
        return k == 1 ? s + e : s.charAt(0) + "." + s.substring(1) + e;
    }
}
