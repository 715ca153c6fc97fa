package dev.genledger.pricing;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The price catalog: list prices with effective dates, from the bundled
 * {@code dev/genledger/pricing/catalog.yaml} with an optional override file merged over it, and
 * the cost of a generation computed from them in exact decimals.
 *
 * <h2>Catalog file format (GenLedger)</h2>
 * YAML or JSON. Two top-level lists:
 * <pre>{@code
 * hardware:                         # Replicate hardware, billed per second of predict time
 *   - sku: gpu-a40-large
 *     per_second: 0.000725
 *     effective_from: 2026-03-09
 *     source: "replicate.com/pricing, 2026-03-09"
 * models:
 *   - provider: openai              # openai | gemini | elevenlabs | replicate
 *     model: gpt-4o                 # as the provider names it; snapshots resolve to it
 *     aliases: [chatgpt-4o]         # optional: other names for the same model
 *     effective_from: 2024-08-06    # this price applies to generations started on/after this UTC day
 *     source: "OpenAI pricing page, 2026-07-24"
 *     defaults: {size: 1024x1024, quality: standard, resolution: 720p}   # optional
 *     hardware: gpu-a40-large       # optional, Replicate models billed by time
 *     input_per_1m_tokens: 2.50     # every other key is a rate in US dollars
 *     cached_input_per_1m_tokens: 1.25
 *     output_per_1m_tokens: 10.00
 *     service_tier:
 *       priority: {input_per_1m_tokens: 4.25, cached_input_per_1m_tokens: 2.125, output_per_1m_tokens: 17.00}
 * }</pre>
 * Rates (nested keys flatten with dots, as {@link #entries()} lists them):
 * <ul>
 * <li>Tokens, per 1,000,000: {@code input_per_1m_tokens}, {@code cached_input_per_1m_tokens},
 *     {@code input_audio_per_1m_tokens}, {@code input_image_per_1m_tokens},
 *     {@code output_per_1m_tokens}, {@code output_audio_per_1m_tokens},
 *     {@code output_image_per_1m_tokens}. A cached, audio or image rate that is not set is the
 *     plain input (output) rate.</li>
 * <li>{@code long_context: {above_input_tokens: 200000, <token rates>}}: when a request's input
 *     tokens exceed the threshold, these rates replace the token rates for the whole request
 *     (input, cached and output); token rates it does not set stay standard.</li>
 * <li>{@code service_tier: {<tier>: {<token rates>}}}: rates for a service tier ({@code flex},
 *     {@code priority}, {@code batch}); rates a tier does not set stay standard. On a request
 *     over the long-context threshold a tier rate is scaled by the same factor as the
 *     long-context rate over the standard one.</li>
 * <li>{@code per_image}: one price, or by {@code <size>}, {@code <quality>} or
 *     {@code <quality>: {<size>: …}}; looked up as quality+size, size, quality, then the plain
 *     {@code per_image}.</li>
 * <li>{@code per_1m_characters}.</li>
 * <li>Media seconds, at most one of: {@code per_second} (one price or by {@code <resolution>},
 *     falling back to the plain {@code per_second}), {@code per_minute}, {@code per_hour},
 *     {@code hardware} (Replicate: seconds × the SKU's {@code per_second} in effect that day).</li>
 * </ul>
 * An entry must set at least one rate (or {@code hardware}); an ElevenLabs entry may set none,
 * and is then priced by credits only. Unknown keys, negative prices and two ways of billing media
 * seconds are errors. Entries with the same provider, model and {@code effective_from} in the
 * override file replace the bundled ones; others are added, which is how a price change is
 * recorded: add an entry with the new {@code effective_from}, keep the old one.
 *
 * <h2>LiteLLM format</h2>
 * The override file may instead be LiteLLM's {@code model_prices_and_context_window.json};
 * the format is detected from the content. Its {@code gemini/…}, {@code replicate/…},
 * {@code elevenlabs/…} and bare OpenAI keys are mapped (size keys such as
 * {@code hd/1024-x-1792/dall-e-3} become {@code per_image.hd.1024x1792}); everything else is
 * skipped and counted in one INFO line. Its entries take effect from its {@code last_updated}
 * date, or the file's modification date when it has none.
 *
 * <h2>Which price applies</h2>
 * The model name is resolved (exact, declared alias, any letter case, without {@code models/},
 * without a dated snapshot suffix such as {@code -2024-08-06}, {@code -0125} or {@code -001},
 * Replicate without {@code :version}); of its entries the latest with
 * {@code effective_from <= at} (UTC day) applies. An unknown model, a null model, a day before
 * the model's first entry, or a usage none of the entry's rates can price gives
 * {@link Cost#UNPRICED}, one WARN per provider/model and a line in
 * {@link #unpricedModelsSeen()}. A usage that counts nothing ({@link Usage#isEmpty()}) is
 * unpriced too, without a warning: the caller decides whether such a call is free.
 * {@code operation} does not change a price in this catalog.
 *
 * <h2>Contract with the usage extractors</h2>
 * Counts follow {@link Usage}'s subset rules. What each kind of price reads:
 * <table>
 * <caption>Usage fields and attributes read by each price</caption>
 * <tr><th>price</th><th>reads</th></tr>
 * <tr><td>tokens</td><td>{@code inputTokens} (all input, incl. cached, audio, image; Gemini: prompt
 *     + tool-use prompt), {@code cachedInputTokens}, {@code inputAudioTokens},
 *     {@code inputImageTokens}, {@code outputTokens} (all output incl. reasoning; Gemini:
 *     candidates + thoughts), {@code outputAudioTokens}, {@code outputImageTokens}. Image models
 *     billed by tokens (gpt-image-*, Gemini image) must report {@code outputImageTokens}.</td></tr>
 * <tr><td>long context</td><td>{@code inputTokens} against the entry's threshold.</td></tr>
 * <tr><td>service tier</td><td>attribute {@code service_tier}: the tier the provider reports
 *     (OpenAI response {@code service_tier}: {@code default}, {@code flex}, {@code priority},
 *     {@code scale}; {@code batch} for the Batch API). A tier the entry has no rates for is
 *     billed at standard rates.</td></tr>
 * <tr><td>per image</td><td>{@code images} (images delivered; Imagen: predictions with
 *     bytes; Replicate official image models: items in {@code output}); attribute {@code size}
 *     as {@code WIDTHxHEIGHT} ({@code "1024x1024"}, {@code "1024x1792"}, {@code "1792x1024"},
 *     {@code "256x256"}, {@code "512x512"}; {@code ×} and {@code -x-} are accepted) and
 *     {@code quality} ({@code "standard"}, {@code "hd"}, {@code "low"}, {@code "medium"},
 *     {@code "high"}) from the request. Leave them unset when the request omits them: the
 *     entry's {@code defaults} (DALL·E: 1024x1024, standard) apply.</td></tr>
 * <tr><td>per character</td><td>{@code characters}: characters of the text sent (tts-1,
 *     tts-1-hd; ElevenLabs when no credits were reported).</td></tr>
 * <tr><td>ElevenLabs credits</td><td>{@code credits}: the {@code character-cost} response header,
 *     as reported. When present it is billed as credits × the configured dollars per credit, and
 *     characters and seconds are not billed. Also report {@code characters} (text length) so the
 *     fallback works when the header is missing.</td></tr>
 * <tr><td>per second / minute / hour</td><td>{@code mediaSeconds}: total billed seconds over all
 *     outputs (Veo: {@code durationSeconds} × videos delivered; whisper-1: {@code usage.seconds};
 *     ElevenLabs speech-to-text: {@code audio_duration_secs} × channels; music:
 *     {@code music_length_ms} / 1000); attribute {@code resolution} ({@code "720p"},
 *     {@code "1080p"}, {@code "4k"}) for video, unset when the request omits it (Veo default
 *     720p).</td></tr>
 * <tr><td>Replicate hardware time</td><td>{@code mediaSeconds} = {@code metrics.predict_time};
 *     optional attribute {@code hardware} (a SKU such as {@code "gpu-a40-large"}) overrides the
 *     model's mapped hardware. Only models with a {@code hardware} entry are billed by time;
 *     official models are billed per token or per image, so report predict time for every
 *     prediction and let the catalog choose.</td></tr>
 * </table>
 * Attribute values are compared trimmed and in lower case.
 *
 * <p>Thread-safe and free of I/O after {@link #load}: {@link #price} runs on Netty event loops.
 */
public final class PriceCatalog implements Pricer, PriceList {
    private static final Logger log = LoggerFactory.getLogger(PriceCatalog.class);

    /**
     * ElevenLabs API pay-as-you-go: $0.10 per 1,000 characters of multilingual v2 at one credit
     * per character (Flash: $0.05 at half a credit), i.e. $0.0001 per credit (PRICES.md §3).
     */
    public static final BigDecimal DEFAULT_ELEVENLABS_USD_PER_CREDIT = new BigDecimal("0.0001");

    /** Distinct unpriced models remembered (and warned about); bounded against unbounded model names. */
    static final int MAX_UNPRICED_TRACKED = 1_000;

    private final ModelIndex index;
    private final HardwareTable hardware;
    private final CostCalculator calculator;
    private final List<PriceEntry> entries;
    private final Set<String> unpricedSeen = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean unpricedCapWarned = new AtomicBoolean();

    private PriceCatalog(List<CatalogEntry> models, List<HardwarePrice> hardwarePrices, BigDecimal usdPerCredit) {
        this.index = new ModelIndex(models);
        this.hardware = new HardwareTable(hardwarePrices);
        for (CatalogEntry e : models) {
            if (e.hardware() != null && hardware.latest(e.hardware()) == null) {
                throw new IllegalArgumentException("pricing: " + e.priceRef() + " (" + e.origin() + ") runs on hardware \""
                        + e.hardware() + "\", which no hardware price names; add it to the hardware list or fix the SKU");
            }
        }
        this.calculator = new CostCalculator(hardware, usdPerCredit);
        this.entries = display(models, hardwarePrices, usdPerCredit);
    }

    /** The bundled catalog alone, with the default ElevenLabs credit price. */
    public static PriceCatalog bundled() {
        return load(null, null);
    }

    /**
     * Loads the bundled catalog and merges the override file over it.
     *
     * @param overrideFile           GenLedger or LiteLLM format, or null for the bundled prices only
     * @param elevenLabsUsdPerCredit what one ElevenLabs credit costs on the account's plan (e.g.
     *                               0.00018 for Scale overage); null means
     *                               {@link #DEFAULT_ELEVENLABS_USD_PER_CREDIT}
     * @throws IllegalArgumentException with one message naming the file, the entry and the problem
     */
    public static PriceCatalog load(Path overrideFile, BigDecimal elevenLabsUsdPerCredit) {
        BigDecimal perCredit = elevenLabsUsdPerCredit == null ? DEFAULT_ELEVENLABS_USD_PER_CREDIT : elevenLabsUsdPerCredit;
        if (perCredit.signum() < 0) {
            throw new IllegalArgumentException("ElevenLabs USD per credit is " + perCredit.toPlainString()
                    + " (expected: >= 0, e.g. 0.0001 for pay-as-you-go or 0.00018 for Scale overage)");
        }
        CatalogContent bundled = CatalogFiles.bundled();
        CatalogContent override = overrideFile == null ? null : CatalogFiles.override(overrideFile);
        Map<String, CatalogEntry> models = new LinkedHashMap<>();
        Map<String, HardwarePrice> hw = new LinkedHashMap<>();
        bundled.entries().forEach(e -> models.put(e.provider() + "/" + e.model() + "@" + e.effectiveFrom(), e));
        bundled.hardware().forEach(h -> hw.put(h.sku() + "@" + h.effectiveFrom(), h));
        int replaced = 0;
        if (override != null) {
            for (CatalogEntry e : override.entries()) {
                replaced += models.put(e.provider() + "/" + e.model() + "@" + e.effectiveFrom(), e) == null ? 0 : 1;
            }
            for (HardwarePrice h : override.hardware()) {
                replaced += hw.put(h.sku() + "@" + h.effectiveFrom(), h) == null ? 0 : 1;
            }
        }
        PriceCatalog catalog = new PriceCatalog(new ArrayList<>(models.values()), new ArrayList<>(hw.values()), perCredit);
        log.info("pricing: {} prices for {} models and {} hardware prices loaded{}; ElevenLabs at ${} per credit",
                models.size(), catalog.index.histories().size(), hw.size(),
                override == null ? "" : " (" + replaced + " bundled prices replaced by " + overrideFile + ")",
                perCredit.toPlainString());
        return catalog;
    }

    @Override
    public Cost price(String provider, String model, String operation, Usage usage, Instant at) {
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(at, "at");
        if (provider == null || model == null || model.isBlank()) {
            return unpriced(provider, model, "the generation has no model name");
        }
        ModelIndex.History history = index.resolve(provider, model);
        if (history == null) {
            return unpriced(provider, model, "no price in the catalog");
        }
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        CatalogEntry entry = history.at(day);
        if (entry == null) {
            return unpriced(provider, model, "no price in effect on " + day + " (the first is from "
                    + history.byDate().firstKey() + ")");
        }
        if (usage.isEmpty()) {
            return Cost.UNPRICED;
        }
        Cost cost = calculator.price(entry, usage, day);
        if (cost == null) {
            return unpriced(provider, model, "no rate of " + entry.priceRef() + " applies to the usage "
                    + describe(usage));
        }
        return cost;
    }

    private Cost unpriced(String provider, String model, String why) {
        String key = provider + "/" + (model == null || model.isBlank() ? "(no model)" : model);
        if (unpricedSeen.size() >= MAX_UNPRICED_TRACKED && !unpricedSeen.contains(key)) {
            if (unpricedCapWarned.compareAndSet(false, true)) {
                log.warn("pricing: {} distinct unpriced models seen; further ones are not listed or logged",
                        MAX_UNPRICED_TRACKED);
            }
        } else if (unpricedSeen.add(key)) {
            log.warn("pricing: {} is recorded unpriced: {}. Add a price to the file in GENLEDGER_PRICING_FILE "
                    + "(then re-price) to count its cost", key, why);
        }
        return Cost.UNPRICED;
    }

    private static String describe(Usage u) {
        return "(images " + u.images() + ", size " + u.attribute("size") + ", quality " + u.attribute("quality")
                + ", media seconds " + u.mediaSeconds().toPlainString() + ", resolution " + u.attribute("resolution")
                + ", characters " + u.characters() + ", tokens " + u.inputTokens() + "/" + u.outputTokens() + ")";
    }

    @Override
    public List<PriceEntry> entries() {
        return entries;
    }

    @Override
    public Set<String> unpricedModelsSeen() {
        return Collections.unmodifiableSet(new TreeSet<>(unpricedSeen));
    }

    private List<PriceEntry> display(List<CatalogEntry> models, List<HardwarePrice> hardwarePrices,
                                     BigDecimal usdPerCredit) {
        List<PriceEntry> out = new ArrayList<>();
        for (CatalogEntry e : models) {
            Map<String, BigDecimal> rates = new TreeMap<>(e.rates());
            if (e.provider().equals("elevenlabs")) {
                rates.put(RateNames.PER_CREDIT, usdPerCredit);
            }
            if (e.hardware() != null) {
                HardwarePrice hw = hardware.latest(e.hardware());
                if (hw != null) {
                    rates.put("hardware." + hw.sku() + ".per_second", hw.perSecond());
                }
            }
            out.add(new PriceEntry(e.provider(), e.model(), e.aliases(), e.effectiveFrom(), rates, e.source(),
                    e.origin()));
        }
        for (HardwarePrice h : hardwarePrices) {
            out.add(new PriceEntry("replicate", "hardware/" + h.sku(), List.of(), h.effectiveFrom(),
                    Map.of(RateNames.PER_SECOND, h.perSecond()), h.source(), h.origin()));
        }
        out.sort(Comparator.comparing(PriceEntry::provider).thenComparing(PriceEntry::model)
                .thenComparing(PriceEntry::effectiveFrom));
        return List.copyOf(out);
    }
}
