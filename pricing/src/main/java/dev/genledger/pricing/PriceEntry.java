package dev.genledger.pricing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One price in the catalog, as the API lists it: a provider's model, the date from which the
 * price applies, and its rates in US dollars by unit (e.g. {@code input_per_1m_tokens: 2.50},
 * {@code per_image.hd.1024x1024: 0.08}, {@code per_second.720p: 0.40}).
 *
 * @param aliases other names that resolve to this entry (snapshots, prefixed names)
 * @param source  where the price comes from (a URL or a document, with its date)
 * @param origin  {@code bundled} or the override file it was loaded from
 */
public record PriceEntry(String provider, String model, List<String> aliases, LocalDate effectiveFrom,
                         Map<String, BigDecimal> rates, String source, String origin) {
    public PriceEntry {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        rates = rates == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(rates));
    }
}
