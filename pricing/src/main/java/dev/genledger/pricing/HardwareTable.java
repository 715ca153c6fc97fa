package dev.genledger.pricing;

import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Replicate hardware SKUs and their per-second prices over time. */
final class HardwareTable {
    private final Map<String, TreeMap<LocalDate, HardwarePrice>> bySku = new HashMap<>();

    /** @param prices at most one per SKU and effective date */
    HardwareTable(Collection<HardwarePrice> prices) {
        for (HardwarePrice p : prices) {
            bySku.computeIfAbsent(p.sku(), k -> new TreeMap<>()).put(p.effectiveFrom(), p);
        }
    }

    /** The price in effect on the day for the SKU (any letter case), or null. */
    HardwarePrice at(String sku, LocalDate day) {
        TreeMap<LocalDate, HardwarePrice> dates = sku == null ? null : bySku.get(RateNames.word(sku));
        if (dates == null) {
            return null;
        }
        Map.Entry<LocalDate, HardwarePrice> e = dates.floorEntry(day);
        return e == null ? null : e.getValue();
    }

    /** The newest price of the SKU, for display; null if unknown. */
    HardwarePrice latest(String sku) {
        TreeMap<LocalDate, HardwarePrice> dates = bySku.get(RateNames.word(sku));
        return dates == null ? null : dates.lastEntry().getValue();
    }
}
