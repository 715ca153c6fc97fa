package dev.genledger.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads LiteLLM's {@code model_prices_and_context_window.json} (PRICES.md §6) into catalog
 * entries: per-token floats become per-1M rates, exactly ({@code 2.5e-06} → 2.5).
 *
 * <p>Key mapping: bare keys with {@code litellm_provider} openai → {@code openai};
 * {@code gemini/…} → {@code gemini} (bare Gemini keys are Vertex AI, not the Gemini API);
 * {@code replicate/owner/name[:version]} → {@code replicate}, {@code owner/name};
 * {@code elevenlabs/…} → {@code elevenlabs}; size/quality keys of OpenAI image models
 * ({@code hd/1024-x-1792/dall-e-3}, {@code 256-x-256/dall-e-2}) → {@code per_image.hd.1024x1792}
 * of the model. Everything else (other providers, Vertex AI, modes GenLedger does not bill) is
 * skipped and counted.
 *
 * <p>LiteLLM also states "equivalent" prices next to token prices (per image for gpt-image and
 * Gemini image models, per second for gpt-4o-mini-tts); when an entry has token rates those are
 * dropped, or the same output would be billed twice. Per-pixel prices are turned into per-image
 * prices. LiteLLM cuts per-pixel prices to a few significant digits, so their last digit is not
 * significant: the per-image price keeps one digit fewer (3.81469e-08 × 1024 × 1024 =
 * 0.0399999238 → 5 digits → 0.04, the published price).
 *
 * <p>The file has no dates. Its entries take effect from its top-level {@code last_updated} (the
 * hourly mirrors add one) or else from the file's modification date, so that they apply to new
 * generations while the bundled history still prices older ones.
 */
final class LiteLlmFormat {
    private LiteLlmFormat() {}

    /** What reading a file gave: its entries, and how many keys could not be mapped. */
    record Result(CatalogContent content, int mapped, int skipped) {}

    private static final Map<String, String> TOKEN_FIELDS = Map.of(
            "input_cost_per_token", TokenKind.INPUT.rate(),
            "cache_read_input_token_cost", TokenKind.CACHED_INPUT.rate(),
            "input_cost_per_audio_token", TokenKind.INPUT_AUDIO.rate(),
            "input_cost_per_image_token", TokenKind.INPUT_IMAGE.rate(),
            "output_cost_per_token", TokenKind.OUTPUT.rate(),
            "output_cost_per_audio_token", TokenKind.OUTPUT_AUDIO.rate(),
            "output_cost_per_image_token", TokenKind.OUTPUT_IMAGE.rate());
    private static final Map<String, String> TIERS = Map.of("flex", "flex", "priority", "priority", "batches", "batch");
    private static final Set<String> OPENAI_PROVIDERS = Set.of("openai", "text-completion-openai");
    private static final Set<String> PREFIXES = Set.of("gemini", "replicate", "elevenlabs", "openai");

    private static final Pattern LONG = Pattern.compile("(.+)_above_([0-9]+)k_tokens");
    private static final Pattern TIER = Pattern.compile("(.+)_(flex|priority|batches)");
    private static final Pattern SECOND_AT = Pattern.compile("output_cost_per_second_([0-9a-z]+)");
    private static final Pattern VARIANT = Pattern.compile("(?:([a-z]+)/)?([0-9]+)-x-([0-9]+)/([^/\\s]+)");
    private static final Pattern NAME = Pattern.compile("\\S+");

    /** Whether a parsed file has the shape of a LiteLLM price file. */
    static boolean matches(JsonNode root) {
        if (root == null || !root.isObject()) {
            return false;
        }
        if (root.has("sample_spec")) {
            return true;
        }
        for (JsonNode v : root) {
            if (v.isObject() && v.has("litellm_provider")) {
                return true;
            }
        }
        return false;
    }

    static Result read(JsonNode root, String file, String origin, LocalDate fileModified) {
        LocalDate effective = lastUpdated(root);
        String source = "LiteLLM price file " + file + (effective != null
                ? " (last_updated " + effective + ")" : " (file modified " + fileModified + ")");
        if (effective == null) {
            effective = fileModified;
        }
        Map<String, Map<String, BigDecimal>> models = new LinkedHashMap<>();
        List<Variant> variants = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (key.equals("sample_spec") || !v.isObject()) {
                continue;
            }
            String litellmProvider = v.path("litellm_provider").asText("");
            Matcher variant = VARIANT.matcher(key);
            if (variant.matches() && OPENAI_PROVIDERS.contains(litellmProvider)) {
                BigDecimal perImage = variantPrice(file, key, v, variant);
                if (perImage == null) {
                    skipped++;
                } else {
                    String quality = variant.group(1);
                    String size = variant.group(2) + "x" + variant.group(3);
                    variants.add(new Variant(variant.group(4), RateNames.PER_IMAGE + "."
                            + (quality == null ? "" : quality + ".") + size, perImage));
                }
                continue;
            }
            String[] pm = providerAndModel(key, litellmProvider);
            Map<String, BigDecimal> rates = pm == null ? Map.of() : rates(file, key, v);
            if (rates.isEmpty()) {
                skipped++;
                continue;
            }
            Map<String, BigDecimal> merged = models.computeIfAbsent(pm[0] + "/" + pm[1], k -> new TreeMap<>());
            rates.forEach(merged::putIfAbsent);
        }
        for (Variant v : variants) {
            Map<String, BigDecimal> base = models.get("openai/" + v.model());
            if (base != null && base.keySet().stream().anyMatch(k -> TokenKind.byRate(k) != null)) {
                skipped++; // an image model billed by tokens: its per-image table is an equivalent
                continue;
            }
            models.computeIfAbsent("openai/" + v.model(), k -> new TreeMap<>()).putIfAbsent(v.rate(), v.price());
        }
        List<CatalogEntry> entries = new ArrayList<>();
        for (Map.Entry<String, Map<String, BigDecimal>> m : models.entrySet()) {
            int slash = m.getKey().indexOf('/');
            String provider = m.getKey().substring(0, slash);
            String model = m.getKey().substring(slash + 1);
            try {
                entries.add(new CatalogEntry(provider, model, List.of(), effective, source, Map.of(), null,
                        new TreeMap<>(m.getValue()), origin));
            } catch (IllegalArgumentException ex) {
                throw CatalogFiles.bad(file, "entry \"" + model + "\" (" + provider + ")", ex.getMessage());
            }
        }
        return new Result(new CatalogContent(entries, List.of()), entries.size(), skipped);
    }

    private record Variant(String model, String rate, BigDecimal price) {}

    private static LocalDate lastUpdated(JsonNode root) {
        String s = root.path("last_updated").asText("");
        if (s.length() < 10) {
            return null;
        }
        try {
            return LocalDate.parse(s.substring(0, 10));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {provider, model} for a key, or null when it is not one of GenLedger's providers. */
    private static String[] providerAndModel(String key, String litellmProvider) {
        int slash = key.indexOf('/');
        String provider;
        String model;
        if (slash < 0) {
            if (!OPENAI_PROVIDERS.contains(litellmProvider)) {
                return null;
            }
            provider = "openai";
            model = key;
        } else {
            provider = key.substring(0, slash);
            model = key.substring(slash + 1);
            if (!PREFIXES.contains(provider)) {
                return null;
            }
        }
        if (provider.equals("replicate") && model.indexOf(':') > 0) {
            model = model.substring(0, model.indexOf(':'));
        }
        return NAME.matcher(model).matches() ? new String[] {provider, model} : null;
    }

    private static Map<String, BigDecimal> rates(String file, String key, JsonNode v) {
        Map<String, BigDecimal> tokens = new TreeMap<>();
        TreeMap<Integer, Map<String, BigDecimal>> longContext = new TreeMap<>();
        Map<String, BigDecimal> other = new TreeMap<>();
        BigDecimal inputPerSecond = null;
        BigDecimal outputPerSecond = null;
        BigDecimal outputPerImage = null;
        BigDecimal inputPerImage = null;
        for (Map.Entry<String, JsonNode> f : v.properties()) {
            String name = f.getKey();
            Matcher longMatch = LONG.matcher(name);
            Matcher tierMatch = TIER.matcher(name);
            Matcher secondAt = SECOND_AT.matcher(name);
            if (TOKEN_FIELDS.containsKey(name)) {
                put(tokens, TOKEN_FIELDS.get(name), perMillion(file, key, name, f.getValue()));
            } else if (longMatch.matches() && TOKEN_FIELDS.containsKey(longMatch.group(1))) {
                int threshold = Integer.parseInt(longMatch.group(2)) * 1000;
                put(longContext.computeIfAbsent(threshold, t -> new TreeMap<>()),
                        RateNames.LONG_CONTEXT + TOKEN_FIELDS.get(longMatch.group(1)),
                        perMillion(file, key, name, f.getValue()));
            } else if (tierMatch.matches() && TOKEN_FIELDS.containsKey(tierMatch.group(1))) {
                put(tokens, RateNames.SERVICE_TIER + TIERS.get(tierMatch.group(2)) + "."
                        + TOKEN_FIELDS.get(tierMatch.group(1)), perMillion(file, key, name, f.getValue()));
            } else if (name.equals("input_cost_per_character")) {
                put(other, RateNames.PER_1M_CHARACTERS, perMillion(file, key, name, f.getValue()));
            } else if (name.equals("input_cost_per_second")) {
                inputPerSecond = price(file, key, name, f.getValue());
            } else if (name.equals("output_cost_per_second")) {
                outputPerSecond = price(file, key, name, f.getValue());
            } else if (secondAt.matches()) {
                put(other, RateNames.PER_SECOND + "." + secondAt.group(1), price(file, key, name, f.getValue()));
            } else if (name.equals("output_cost_per_image")) {
                outputPerImage = price(file, key, name, f.getValue());
            } else if (name.equals("input_cost_per_image")) {
                inputPerImage = price(file, key, name, f.getValue());
            }
        }
        boolean tokenPriced = tokens.entrySet().stream()
                .anyMatch(t -> TokenKind.byRate(t.getKey()) != null && t.getValue().signum() > 0);
        Map<String, BigDecimal> out = new TreeMap<>(tokens);
        if (!longContext.isEmpty() && tokenPriced) {
            // several thresholds (128k, 200k, …) are tiers GenLedger does not model; the first one applies
            Map.Entry<Integer, Map<String, BigDecimal>> first = longContext.firstEntry();
            out.putAll(first.getValue());
            out.put(RateNames.LONG_CONTEXT_THRESHOLD, BigDecimal.valueOf(first.getKey()));
        }
        if (tokenPriced) {
            // per-second and per-image prices of a token-billed model are equivalents of its token prices
            other.keySet().removeIf(k -> k.startsWith(RateNames.PER_SECOND));
        } else {
            BigDecimal perSecond = inputPerSecond != null ? inputPerSecond : outputPerSecond;
            if (perSecond != null) {
                other.put(RateNames.PER_SECOND, perSecond);
            }
            BigDecimal perImage = outputPerImage != null ? outputPerImage : inputPerImage;
            if (perImage != null) {
                other.put(RateNames.PER_IMAGE, perImage);
            }
        }
        out.putAll(other);
        return out;
    }

    private static BigDecimal variantPrice(String file, String key, JsonNode v, Matcher variant) {
        JsonNode pixel = v.get("input_cost_per_pixel");
        if (pixel != null && !pixel.isNull()) {
            BigDecimal perPixel = price(file, key, "input_cost_per_pixel", pixel);
            BigDecimal pixels = new BigDecimal(variant.group(2)).multiply(new BigDecimal(variant.group(3)));
            return strip(perPixel.multiply(pixels).round(new MathContext(Math.max(1, perPixel.precision() - 1))));
        }
        for (String field : List.of("input_cost_per_image", "output_cost_per_image")) {
            JsonNode n = v.get(field);
            if (n != null && !n.isNull()) {
                return price(file, key, field, n);
            }
        }
        return null;
    }

    private static void put(Map<String, BigDecimal> m, String name, BigDecimal value) {
        if (value != null) {
            m.put(name, value);
        }
    }

    private static BigDecimal perMillion(String file, String key, String field, JsonNode value) {
        BigDecimal d = price(file, key, field, value);
        return d == null ? null : strip(d.movePointRight(6));
    }

    /** A price field as an exact decimal; null when the field is null. */
    private static BigDecimal price(String file, String key, String field, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        BigDecimal d = CatalogFiles.decimal(value);
        if (d == null || d.signum() < 0) {
            throw CatalogFiles.bad(file, "entry \"" + key + "\"", field + " is " + value
                    + " (expected: a number of US dollars >= 0, e.g. 2.5e-06)");
        }
        return d;
    }

    private static BigDecimal strip(BigDecimal d) {
        return CatalogEntry.plain(d);
    }
}
