package dev.genledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * How the page shows the API's numbers (public/assets/js/format.js), written again in Java so the
 * browser tests can turn an API answer into the text expected on screen. Rounding is half away
 * from zero, as Intl.NumberFormat does with an exact decimal.
 */
final class Shown {
    private Shown() {}

    static final String DASH = "—";

    static boolean missing(JsonNode v) {
        return v == null || v.isNull();
    }

    /** Dollars: 2 places from $1 up and for zero, else 3 significant digits (2 to 10 places). */
    static String usd(JsonNode v) {
        return missing(v) ? DASH : usd(v.decimalValue());
    }

    static String usd(String v) {
        return usd(new BigDecimal(v));
    }

    static String usd(BigDecimal v) {
        BigDecimal a = v.abs();
        int places;
        if (a.signum() == 0 || a.compareTo(BigDecimal.ONE) >= 0) {
            places = 2;
        } else {
            BigDecimal s = a.stripTrailingZeros();
            int zeros = s.scale() - s.precision(); // zeros between the point and the first digit
            places = Math.min(10, Math.max(2, zeros + 3));
        }
        BigDecimal r = trim(v.setScale(places, RoundingMode.HALF_UP), 2);
        String digits = String.format(Locale.US, "%,." + r.scale() + "f", r.abs());
        return (r.signum() < 0 ? "-$" : "$") + digits;
    }

    static String count(JsonNode v) {
        return missing(v) ? DASH : String.format(Locale.US, "%,d", v.longValue());
    }

    static String count(long v) {
        return String.format(Locale.US, "%,d", v);
    }

    /** At most {@code places} decimal places, trailing zeros dropped, thousands grouped. */
    static String decimal(JsonNode v, int places) {
        return missing(v) ? DASH : decimal(v.decimalValue(), places);
    }

    static String decimal(BigDecimal v, int places) {
        BigDecimal r = trim(v.setScale(places, RoundingMode.HALF_UP), 0);
        return String.format(Locale.US, "%,." + r.scale() + "f", r);
    }

    static String ms(JsonNode v) {
        return missing(v) ? DASH : decimal(v, 0) + " ms";
    }

    /** A fraction as a percentage with at most one decimal: 0.187567 → 18.8%. */
    static String percent(JsonNode v) {
        return missing(v) ? DASH : percent(v.decimalValue());
    }

    static String percent(BigDecimal v) {
        return decimal(v.movePointRight(2), 1) + "%";
    }

    /** "2026-11-19T10:00:00Z" → "2026-11-19 10:00:00 UTC". */
    static String instant(String iso) {
        return iso.substring(0, 10) + " " + iso.substring(11, 19) + " UTC";
    }

    /** The exact decimal text the API sent, as the page's CSV files carry it. */
    static String plain(JsonNode v) {
        return missing(v) ? "" : v.isBigDecimal() || v.isDouble() || v.isFloat() ? v.decimalValue().toPlainString()
                : v.asText();
    }

    private static BigDecimal trim(BigDecimal v, int minScale) {
        BigDecimal t = v.stripTrailingZeros();
        return t.scale() < minScale ? t.setScale(minScale, RoundingMode.UNNECESSARY) : t;
    }
}
