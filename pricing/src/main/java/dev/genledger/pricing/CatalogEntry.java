package dev.genledger.pricing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One dated price of one model, as read from a catalog file and validated. The format is
 * documented on {@link PriceCatalog}.
 *
 * @param aliases  other names that resolve to this model
 * @param defaults {@code size}, {@code quality} or {@code resolution} used when a generation's
 *                 usage does not carry that attribute
 * @param hardware Replicate only: the hardware SKU whose per-second price bills this model's
 *                 predict time; null for models not billed by time
 * @param rates    flattened rate names ({@link RateNames}) to US dollars
 * @param origin   {@code bundled} or the override file the entry came from
 */
record CatalogEntry(String provider, String model, List<String> aliases, LocalDate effectiveFrom, String source,
                    Map<String, String> defaults, String hardware, SortedMap<String, BigDecimal> rates,
                    String origin) {

    static final Set<String> PROVIDERS = Set.of("openai", "gemini", "elevenlabs", "replicate");
    private static final Set<String> DEFAULT_KEYS = Set.of("size", "quality", "resolution");
    private static final Pattern NAME = Pattern.compile("\\S+");

    CatalogEntry {
        Objects.requireNonNull(origin, "origin");
        if (provider == null || !PROVIDERS.contains(provider)) {
            throw new IllegalArgumentException("provider is " + quote(provider)
                    + " (expected one of: openai, gemini, elevenlabs, replicate)");
        }
        if (model == null || !NAME.matcher(model).matches()) {
            throw new IllegalArgumentException("model is " + quote(model) + " (expected: a model name without spaces)");
        }
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        for (String a : aliases) {
            if (!NAME.matcher(a).matches()) {
                throw new IllegalArgumentException("alias " + quote(a) + " (expected: a model name without spaces)");
            }
        }
        if (effectiveFrom == null) {
            throw new IllegalArgumentException("effective_from is missing (expected: a date, e.g. 2026-07-24)");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source is missing (expected: where the price comes from, with its date)");
        }
        defaults = defaults == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(defaults));
        for (Map.Entry<String, String> d : defaults.entrySet()) {
            if (!DEFAULT_KEYS.contains(d.getKey()) || d.getValue() == null || d.getValue().isBlank()) {
                throw new IllegalArgumentException("defaults." + d.getKey() + " is " + quote(d.getValue())
                        + " (expected keys: size, quality, resolution, each with a value)");
            }
        }
        if (hardware != null && !provider.equals("replicate")) {
            throw new IllegalArgumentException("hardware is set on a " + provider
                    + " model (expected: only Replicate models are billed by hardware time)");
        }
        SortedMap<String, BigDecimal> plain = new TreeMap<>();
        (rates == null ? Map.<String, BigDecimal>of() : rates).forEach((k, v) -> plain.put(k, plain(v)));
        rates = Collections.unmodifiableSortedMap(plain);
        validateRates(provider, hardware, rates);
    }

    /** Without trailing zeros and never in exponent form: 2.50 → 2.5, 100.00 → 100 (not 1E+2). */
    static BigDecimal plain(BigDecimal d) {
        if (d == null || d.signum() == 0) {
            return d == null ? null : BigDecimal.ZERO;
        }
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private static void validateRates(String provider, String hardware, SortedMap<String, BigDecimal> rates) {
        for (Map.Entry<String, BigDecimal> r : rates.entrySet()) {
            String problem = RateNames.problem(r.getKey());
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            BigDecimal v = r.getValue();
            if (v == null || v.signum() < 0) {
                throw new IllegalArgumentException(r.getKey() + " is " + v + " (expected: a price >= 0 in US dollars)");
            }
        }
        BigDecimal threshold = rates.get(RateNames.LONG_CONTEXT_THRESHOLD);
        boolean longRates = rates.keySet().stream()
                .anyMatch(k -> k.startsWith(RateNames.LONG_CONTEXT) && !k.equals(RateNames.LONG_CONTEXT_THRESHOLD));
        if (threshold != null && (threshold.signum() <= 0 || threshold.stripTrailingZeros().scale() > 0)) {
            throw new IllegalArgumentException(RateNames.LONG_CONTEXT_THRESHOLD + " is " + threshold
                    + " (expected: a whole number of input tokens > 0, e.g. 200000)");
        }
        if (longRates != (threshold != null)) {
            throw new IllegalArgumentException("long_context needs both above_input_tokens and at least one token rate");
        }
        long timeKinds = rates.keySet().stream().map(k -> k.split("\\.")[0]).distinct()
                .filter(k -> k.equals(RateNames.PER_SECOND) || k.equals(RateNames.PER_MINUTE)
                        || k.equals(RateNames.PER_HOUR)).count() + (hardware == null ? 0 : 1);
        if (timeKinds > 1) {
            throw new IllegalArgumentException("more than one of per_second, per_minute, per_hour and hardware is set "
                    + "(expected: one way to bill media seconds, or they would be billed twice)");
        }
        if (rates.isEmpty() && hardware == null && !provider.equals("elevenlabs")) {
            throw new IllegalArgumentException("no rate is set (expected at least one of: " + RateNames.VOCABULARY
                    + "; or hardware for a Replicate model)");
        }
    }

    private static String quote(String s) {
        return s == null ? "missing" : "\"" + s + "\"";
    }

    /** {@code provider/model@effective_from}: which entry priced a generation. */
    String priceRef() {
        return provider + "/" + model + "@" + effectiveFrom;
    }

    BigDecimal rate(String name) {
        return rates.get(name);
    }

    boolean hasTokenRates() {
        return rates.keySet().stream().anyMatch(k -> TokenKind.byRate(k) != null);
    }
}
