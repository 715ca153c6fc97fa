package dev.genledger.pricing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The price of one second of a Replicate hardware SKU (e.g. {@code gpu-a40-large}) from a date.
 *
 * @param origin {@code bundled} or the override file it came from
 */
record HardwarePrice(String sku, BigDecimal perSecond, LocalDate effectiveFrom, String source, String origin) {
    private static final Pattern SKU = Pattern.compile("[a-z0-9][a-z0-9-]*");

    HardwarePrice {
        if (sku == null || !SKU.matcher(sku).matches()) {
            throw new IllegalArgumentException("sku is " + (sku == null ? "missing" : "\"" + sku + "\"")
                    + " (expected: a Replicate hardware name in lower case, e.g. gpu-a40-large)");
        }
        if (perSecond == null || perSecond.signum() < 0) {
            throw new IllegalArgumentException("per_second is " + perSecond
                    + " (expected: US dollars per second >= 0, e.g. 0.000725)");
        }
        if (effectiveFrom == null) {
            throw new IllegalArgumentException("effective_from is missing (expected: a date, e.g. 2026-03-09)");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source is missing (expected: where the price comes from, with its date)");
        }
        Objects.requireNonNull(origin, "origin");
        perSecond = CatalogEntry.plain(perSecond);
    }
}
