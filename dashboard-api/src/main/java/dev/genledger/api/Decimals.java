package dev.genledger.api;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Arithmetic of the reported numbers. Sums of money stay exact (numeric in, BigDecimal out);
 * ratios of money are rounded to 10 decimal places (a ten-thousandth of a micro-dollar); ratios
 * of counts and times to 6 or 3. A ratio over zero is null: "no data", never a made-up 0.
 */
final class Decimals {
    private Decimals() {}

    private static final MathContext MC = MathContext.DECIMAL128;

    /** A sum as reported: null (no rows) is 0, trailing zeros dropped. */
    static BigDecimal sum(BigDecimal v) {
        if (v == null || v.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return v.stripTrailingZeros();
    }

    /** {@code a / b} rounded to {@code scale} places; null when b is zero. */
    static BigDecimal ratio(BigDecimal a, BigDecimal b, int scale) {
        if (b == null || b.signum() == 0 || a == null) {
            return null;
        }
        BigDecimal r = a.divide(b, MC).setScale(scale, RoundingMode.HALF_EVEN);
        return r.signum() == 0 ? BigDecimal.ZERO : r.stripTrailingZeros();
    }

    static BigDecimal ratio(BigDecimal a, long b, int scale) {
        return ratio(a, BigDecimal.valueOf(b), scale);
    }

    static BigDecimal ratio(long a, long b, int scale) {
        return ratio(BigDecimal.valueOf(a), BigDecimal.valueOf(b), scale);
    }

    /** A mean of doubles (milliseconds) to 3 places; null when there is nothing to average. */
    static Double mean(double sum, long n) {
        if (n == 0) {
            return null;
        }
        return BigDecimal.valueOf(sum / n).setScale(3, RoundingMode.HALF_EVEN).doubleValue();
    }

    static Double round3(Double v) {
        return v == null ? null : BigDecimal.valueOf(v).setScale(3, RoundingMode.HALF_EVEN).doubleValue();
    }
}
